from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.validators import validate_kana_reading
from directory.models import Organisation

from .models import User
from .roles import Role


class SignupForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=60)
    name_kana = forms.CharField(label=_("ふりがな"), max_length=60, validators=[validate_kana_reading])
    email = forms.EmailField(label=_("メールアドレス"), help_text=_("確認のメールをお送りします。"))
    password1 = forms.CharField(
        label=_("パスワード"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("10文字以上。推測されやすいものや数字だけのものは使えません。"),
    )
    password2 = forms.CharField(
        label=_("パスワード（確認）"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    agree = forms.BooleanField(label=_("利用規約と個人情報の取扱いに同意します"))

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("このメールアドレスは既に登録されています。ログインするか、パスワードを再設定してください。"))
        return email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("確認用のパスワードが一致しません。"))
        elif p1:
            stub = User(email=data.get("email", ""), name=data.get("name", ""))
            try:
                password_validation.validate_password(p1, stub)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class StaffSignupForm(SignupForm):
    organisation = forms.ModelChoiceField(
        label=_("所属する支援機関"), queryset=Organisation.objects.filter(is_active=True).select_related("prefecture")
    )
    role = forms.ChoiceField(
        label=_("役割"),
        choices=[(Role.COORDINATOR, Role.COORDINATOR.label), (Role.CHIEF, Role.CHIEF.label)],
        help_text=_("所属機関のチーフコーディネーター（または管理者）の承認後に利用できます。"),
    )

    field_order = ["organisation", "role", "name", "name_kana", "email", "password1", "password2", "agree"]


class LoginForm(AuthenticationForm):
    username = forms.EmailField(label=_("メールアドレス"), widget=forms.EmailInput(attrs={"autofocus": True}))

    error_messages = {
        "invalid_login": _("メールアドレスまたはパスワードが正しくありません。"),
        "inactive": _("このアカウントは利用停止中です。"),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("確認コード（6桁）"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("確認コードは半角数字6桁で入力してください。"))
        return token


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=60)
    name_kana = forms.CharField(label=_("ふりがな"), max_length=60, validators=[validate_kana_reading])
    phone = forms.RegexField(
        label=_("電話番号"),
        regex=r"^[0-9\-]{10,13}$",
        required=False,
        error_messages={"invalid": _("電話番号は半角数字とハイフンで入力してください。")},
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("新しいメールアドレス"))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if email == self.user.email.lower():
            raise forms.ValidationError(_("現在と同じメールアドレスです。"))
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("このメールアドレスは既に登録されています。"))
        return email


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("承認")), ("reject", _("却下"))])
    reason = forms.CharField(label=_("理由"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("却下する場合は理由を入力してください。"))
        return data
