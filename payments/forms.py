import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import add_business_days

from .models import AnomalyFlag

DATE = forms.DateInput(attrs={"type": "date"})


def last_month():
    first_of_this = timezone.localdate().replace(day=1)
    end = first_of_this - datetime.timedelta(days=1)
    return end.replace(day=1), end


class PeriodForm(forms.Form):
    period_start = forms.DateField(label=_("対象期間（支援日）の初日"), widget=DATE)
    period_end = forms.DateField(label=_("対象期間（支援日）の末日"), widget=DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            if start > end:
                raise ValidationError(_("対象期間の初日は末日より前にしてください。"))
            if (end - start).days > 400:
                raise ValidationError(_("対象期間は1年以内にしてください。"))
        return data


class BatchForm(PeriodForm):
    transfer_date = forms.DateField(label=_("振込指定日"), widget=DATE,
                                    help_text=_("銀行の営業日を指定してください。振込ファイルのヘッダーに入ります。"))
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    exclude = forms.TypedMultipleChoiceField(required=False, coerce=int, choices=[])

    def __init__(self, *args, candidate_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exclude"].choices = [(pk, pk) for pk in candidate_ids]


def default_transfer_date():
    return add_business_days(timezone.localdate(), 3)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("確認結果"), widget=forms.RadioSelect, choices=[
        (AnomalyFlag.Status.CLEARED, _("問題なし（支払ってよい）")),
        (AnomalyFlag.Status.HELD, _("保留（支払を止める）")),
    ])
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SettingsForm(forms.Form):
    travel_speed_kmh = forms.IntegerField(label=_("移動の速さの上限（km/時）"), min_value=10, max_value=1000,
                                          help_text=_("都道府県庁間の直線距離をこの速さで割った時間より支援の間隔が短いと確認の対象にします。"))
    pair_visits_threshold = forms.IntegerField(label=_("同じ専門家と事業者の組合せの年度内の派遣回数（この回数以上で確認）"),
                                               min_value=2, max_value=100)
    similarity_percent = forms.IntegerField(label=_("支援報告の本文の一致率（％、この値以上で確認）"), min_value=50, max_value=100)
