from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.images import sanitize_image
from core.kana import normalize_account_holder
from core.validators import validate_invoice_number, validate_kana_reading, validate_katakana_name
from reference.banks import lookup_bank, lookup_branch
from reference.models import Industry, Prefecture, Qualification, Specialty

from .models import BankAccount


class ExpertProfileForm(forms.Form):
    display_name = forms.CharField(label=_("氏名（公開）"), max_length=60)
    display_name_kana = forms.CharField(label=_("ふりがな"), max_length=60, validators=[validate_kana_reading])
    headline = forms.CharField(label=_("ひとこと紹介"), max_length=100, required=False)
    photo = forms.FileField(
        label=_("顔写真"),
        required=False,
        help_text=_("JPEG・PNG・HEIC、10MBまで。位置情報などのメタデータは削除して保存します。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/heic,image/heif"}),
    )
    specialties = forms.ModelMultipleChoiceField(
        label=_("専門分野"), queryset=Specialty.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple
    )
    industries = forms.ModelMultipleChoiceField(
        label=_("得意業種"),
        queryset=Industry.objects.filter(parent=None),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    base_prefecture = forms.ModelChoiceField(label=_("活動拠点の都道府県"), queryset=Prefecture.objects.all())
    areas = forms.ModelMultipleChoiceField(
        label=_("対応地域"), queryset=Prefecture.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    qualifications = forms.ModelMultipleChoiceField(
        label=_("保有資格"),
        queryset=Qualification.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("事務局が資格を確認すると「確認済み」と表示されます。"),
    )
    career = forms.CharField(label=_("経歴"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=4000)
    bio = forms.CharField(label=_("自己紹介・支援内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000)
    is_corporation = forms.BooleanField(
        label=_("法人として謝金を受け取る（源泉徴収の対象外）"), required=False
    )
    invoice_number = forms.CharField(
        label=_("適格請求書発行事業者登録番号"),
        required=False,
        max_length=14,
        help_text=_("登録がある場合のみ。「T」と13桁の数字。"),
    )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            return sanitize_image(photo)
        return photo

    def clean_invoice_number(self):
        value = self.cleaned_data["invoice_number"].strip().upper()
        value = value.translate(str.maketrans("０１２３４５６７８９Ｔ", "0123456789T"))
        if value:
            validate_invoice_number(value)
        return value


class BankAccountForm(forms.Form):
    bank_code = forms.RegexField(
        label=_("金融機関コード"),
        regex=r"^\d{4}$",
        error_messages={"invalid": _("金融機関コードは半角数字4桁で入力してください。")},
    )
    branch_code = forms.RegexField(
        label=_("支店コード"),
        regex=r"^\d{3}$",
        error_messages={"invalid": _("支店コードは半角数字3桁で入力してください。")},
    )
    account_type = forms.ChoiceField(label=_("預金種目"), choices=BankAccount.AccountType.choices)
    account_number = forms.RegexField(
        label=_("口座番号"),
        regex=r"^\d{1,7}$",
        error_messages={"invalid": _("口座番号は半角数字7桁以内で入力してください。")},
    )
    holder_kana = forms.CharField(
        label=_("口座名義（カナ）"), max_length=60, help_text=_("通帳の表記どおりに全角カタカナで（例：ヤマダ　タロウ）。")
    )

    def clean_holder_kana(self):
        value = normalize_account_holder(self.cleaned_data["holder_kana"])
        validate_katakana_name(value)
        return value

    def clean_account_number(self):
        return self.cleaned_data["account_number"].zfill(7)

    def clean(self):
        data = super().clean()
        bank_code, branch_code = data.get("bank_code"), data.get("branch_code")
        if bank_code:
            bank = lookup_bank(bank_code)
            if bank is None:
                self.add_error("bank_code", _("この金融機関コードは見つかりません。"))
            else:
                data["bank_name"] = bank["name"]
                if branch_code:
                    branch = lookup_branch(bank_code, branch_code)
                    if branch is None:
                        self.add_error("branch_code", _("%(bank)sにこの支店コードは見つかりません。") % {"bank": bank["name"]})
                    else:
                        data["branch_name"] = branch["name"]
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("審査結果"), choices=[("approve", _("承認する")), ("reject", _("却下する"))])
    reason = forms.CharField(label=_("コメント（却下の場合は必須）"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            raise ValidationError({"reason": _("却下する場合は理由を入力してください。")})
        return data
