from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import fiscal_year_range
from reference.models import Specialty

from .models import ProgrammeYear


class ProgrammeYearForm(forms.Form):
    dispatch_quota = forms.IntegerField(label=_("1事業者あたりの派遣回数の上限（年度内）"), min_value=0, max_value=50)
    it_dispatch_quota = forms.IntegerField(label=_("IT分野を含めた派遣回数の上限（年度内）"), min_value=0, max_value=50)
    it_specialties = forms.ModelMultipleChoiceField(
        label=_("IT分野として数える専門分野"), queryset=Specialty.objects.filter(is_active=True),
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    application_deadline = forms.DateField(
        label=_("派遣申請の締切日"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("通常は2月末日です。")
    )
    time_window_minutes = forms.IntegerField(label=_("開始・終了報告の許容幅（±分）"), min_value=1, max_value=120)
    honorarium_per_visit = forms.IntegerField(label=_("謝金（1回あたり・円）"), min_value=0)
    honorarium_per_hour = forms.IntegerField(label=_("謝金（1時間あたり・円、0は回数払い）"), min_value=0)
    honorarium_max_hours = forms.IntegerField(label=_("謝金の対象となる1回の上限時間"), min_value=1, max_value=24)
    travel_rule = forms.ChoiceField(label=_("旅費の支給方法"), choices=ProgrammeYear.TravelRule.choices)
    travel_flat_amount = forms.IntegerField(label=_("旅費の定額（円）"), min_value=0)
    travel_cap = forms.IntegerField(label=_("旅費の上限（1回あたり・円、0は上限なし）"), min_value=0)
    phone_consultation_allowed = forms.BooleanField(
        label=_("災害時特例：電話・Web会議での相談を派遣の根拠として認める"), required=False
    )
    reminder_business_days = forms.IntegerField(label=_("対応が止まってから催促するまでの営業日数"), min_value=1, max_value=30)

    def __init__(self, *args, fiscal_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year

    def clean_application_deadline(self):
        value = self.cleaned_data["application_deadline"]
        first, last = fiscal_year_range(self.fiscal_year)
        if not first <= value <= last:
            raise forms.ValidationError(_("締切日はその年度内（%(first)s〜%(last)s）の日付にしてください。") % {"first": first, "last": last})
        return value

    def clean(self):
        data = super().clean()
        if data.get("it_dispatch_quota") is not None and data.get("dispatch_quota") is not None:
            if data["it_dispatch_quota"] < data["dispatch_quota"]:
                self.add_error("it_dispatch_quota", _("IT分野を含めた上限は、通常の上限以上にしてください。"))
        return data
