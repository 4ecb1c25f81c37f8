from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TimeReport


class CheckinForm(forms.Form):
    kind = forms.ChoiceField(choices=TimeReport.Kind.choices, widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("専門家の画面に表示されている確認コード（6桁）"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9０-９ ]*"}),
        error_messages={"required": _("確認コードを入力してください。")},
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("支援状況の写真（事業者の担当者と専門家が一緒に写ったもの）"),
        help_text=_("JPEG・PNG・HEIC（iPhone）。位置情報などは取り除いて保存します。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        error_messages={"required": _("写真のファイルを選んでください。")},
    )


class ConsentForm(forms.Form):
    document = forms.FileField(
        label=_("写真提出の同意書（署名したもののPDF）"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("同意書のPDFファイルを選んでください。")},
    )


class DeclarationForm(forms.Form):
    document = forms.FileField(
        label=_("記名・押印した申告書（PDFまたは写真）"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf,image/*"}),
        error_messages={"required": _("申告書のファイルを選んでください。")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
        error_messages={"required": _("理由を入力してください。")},
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("認める")), ("reject", _("認めない"))], label=_("判断"))
    reason = forms.CharField(label=_("理由（認めない場合は必須）"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RulesForm(forms.Form):
    evidence_deadline_days = forms.IntegerField(
        label=_("支援日から証憑をそろえるまでの日数"), min_value=1, max_value=365,
        help_text=_("この日数を過ぎると、事務局は派遣を事業対象外（自己負担）にできます。"),
    )
    warn_days_before = forms.IntegerField(label=_("期限の何日前に関係者へ知らせるか"), min_value=0, max_value=365)

    def clean(self):
        data = super().clean()
        deadline, warn = data.get("evidence_deadline_days"), data.get("warn_days_before")
        if deadline is not None and warn is not None and warn >= deadline:
            self.add_error("warn_days_before", _("知らせる日数は、期限までの日数より短くしてください。"))
        return data
