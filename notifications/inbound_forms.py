from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import span_end

from .models import InboundMail


class ManualMatchForm(forms.Form):
    """Link an inbound mail to a dispatch case: one of the suggested cases, or a case number."""

    case = forms.TypedChoiceField(label=_("候補の派遣"), coerce=int, required=False, widget=forms.RadioSelect)
    case_number = forms.IntegerField(label=_("派遣番号（候補にない場合）"), required=False, min_value=1)
    kind = forms.ChoiceField(label=_("種別"), choices=InboundMail.Kind.choices)
    reported_at = forms.DateTimeField(
        label=_("報告された時刻（開始・終了の場合）"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(c.pk, self.case_label(c)) for c in candidates]
        if not candidates:
            del self.fields["case"]

    @staticmethod
    def case_label(case):
        from django.utils import timezone

        start, end = timezone.localtime(case.starts_at), span_end(case.starts_at, case.ends_at)
        return (f"#{case.pk} {start:%Y-%m-%d %H:%M}〜{end} {case.company.name}／{case.expert.display_name}"
                f"（{case.get_state_display()}）")

    def clean(self):
        data = super().clean()
        chosen = data.get("case_number") or data.get("case")
        if not chosen:
            raise forms.ValidationError(_("派遣を選ぶか、派遣番号を入力してください。"))
        data["case_id"] = chosen
        if data.get("kind") in ("start", "end") and not data.get("reported_at"):
            self.add_error("reported_at", _("開始・終了の報告には、報告された時刻を入力してください。"))
        return data


class CloseForm(forms.Form):
    note = forms.CharField(label=_("メモ（対応済みにする理由）"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class InboundRulesForm(forms.Form):
    accept_any_sender = forms.BooleanField(
        label=_("登録アドレス以外（スマートフォン等）からの報告も受け付ける"), required=False,
        help_text=_("受け付けたメールは事務局の確認対象になります。"),
    )
    match_tolerance_minutes = forms.IntegerField(
        label=_("件名の時刻と予定時刻のずれの上限（分）"), min_value=10, max_value=720,
        help_text=_("これを超えてずれた報告は自動では反映せず、事務局が確認します。"),
    )
    max_attachment_mb = forms.IntegerField(label=_("添付ファイル1件の上限（MB）"), min_value=1, max_value=50)


class InboxFilterForm(forms.Form):
    VIEWS = [("open", _("要対応")), ("all", _("すべて")), ("matched", _("反映済み"))]
    view = forms.ChoiceField(label=_("表示"), choices=VIEWS, required=False)
    q = forms.CharField(label=_("件名・差出人"), required=False, max_length=100)
