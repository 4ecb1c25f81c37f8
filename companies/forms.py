from django import forms
from django.utils.translation import gettext_lazy as _

from core.kana import normalize_width
from core.validators import validate_corporate_number, validate_kana_reading
from reference.models import Industry, Prefecture

from .models import Company


class IndustryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"　{obj.name}" if obj.parent_id else obj.name


class CompanyForm(forms.Form):
    legal_form = forms.ChoiceField(label=_("事業形態"), choices=Company.LegalForm.choices, widget=forms.RadioSelect)
    corporate_number = forms.CharField(
        label=_("法人番号"),
        required=False,
        max_length=20,
        help_text=_("13桁。個人事業主の方は空欄のままで結構です。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    name = forms.CharField(label=_("事業者名"), max_length=100, help_text=_("例：株式会社ぱそな建設"))
    name_kana = forms.CharField(label=_("事業者名（ふりがな）"), max_length=100, validators=[validate_kana_reading])
    representative = forms.CharField(label=_("代表者氏名"), max_length=60)
    industry = IndustryChoiceField(
        label=_("業種（日本標準産業分類）"),
        queryset=Industry.objects.select_related("parent").order_by("sort_key"),
        help_text=_("卸売業・小売業の方はどちらかを選んでください。"),
    )
    prefecture = forms.ModelChoiceField(label=_("都道府県"), queryset=Prefecture.objects.all())
    municipality = forms.CharField(label=_("市区町村"), max_length=40)
    address = forms.CharField(label=_("番地・建物名"), max_length=200)
    phone = forms.RegexField(
        label=_("電話番号"), regex=r"^[0-9\-]{10,13}$", required=False,
        error_messages={"invalid": _("電話番号は半角数字とハイフンで入力してください。")},
    )
    capital = forms.IntegerField(
        label=_("資本金（円）"), required=False, min_value=0, max_value=10**13,
        help_text=_("法人の場合は必須。個人事業主の方は空欄。"),
    )
    employees = forms.IntegerField(
        label=_("常時使用する従業員数"), min_value=0, max_value=10**6, help_text=_("役員・事業主本人は含みません。")
    )
    founded_on = forms.DateField(
        label=_("創業・設立日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_corporate_number(self):
        value = normalize_width(self.cleaned_data["corporate_number"]).replace("-", "").replace(" ", "")
        if value:
            validate_corporate_number(value)
        return value

    def clean_industry(self):
        industry = self.cleaned_data["industry"]
        if not industry.sme_sector:
            raise forms.ValidationError(_("卸売業か小売業かを選んでください（中小企業の判定に必要です）。"))
        return industry

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        legal_form = data.get("legal_form")
        number = data.get("corporate_number")
        if legal_form == Company.LegalForm.CORPORATION:
            if "corporate_number" in data and not number:
                self.add_error("corporate_number", _("法人の場合は法人番号を入力してください。"))
            if data.get("capital") is None and "capital" not in self.errors:
                self.add_error("capital", _("法人の場合は資本金を入力してください。"))
        if number:
            clash = Company.objects.filter(corporate_number=number)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "corporate_number",
                    _("この法人番号の事業者は既に登録されています。登録済みの担当者に招待を依頼してください。"),
                )
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("招待する方のメールアドレス"))
