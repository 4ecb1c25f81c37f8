import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation, Referral
from directory.models import ExpertProfile
from reference.models import Specialty

from .models import State


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.base_prefecture}）{('・' + obj.headline) if obj.headline else ''}"


class ConsultationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.held_on:%Y-%m-%d} {obj.get_channel_display()}・{obj.organisation}{'' if obj.photo else _('（写真なし）')}"


def experts_for_prefecture(prefecture_id):
    return (
        ExpertProfile.objects.filter(status=ExpertProfile.Status.APPROVED, areas=prefecture_id)
        .select_related("base_prefecture").order_by("display_name_kana", "pk")
    )


def consultations_usable_by(organisation_ids, company):
    """The company's consultations recorded by, or referred to, the applying organisation."""
    referred = Referral.objects.filter(to_organisation_id__in=organisation_ids).values("consultation_id")
    return (
        Consultation.objects.filter(company=company)
        .filter(Q(organisation_id__in=organisation_ids) | Q(pk__in=referred))
        .select_related("organisation").order_by("-held_on")
    )


class CaseForm(forms.Form):
    consultation = ConsultationChoiceField(
        label=_("根拠となる相談"), queryset=Consultation.objects.none(), required=False,
        help_text=_("対面で行い、支援を受ける方が写った写真のある相談を選んでください。"),
    )
    topic = forms.ModelChoiceField(label=_("支援分野"), queryset=Specialty.objects.filter(is_active=True))
    request_text = forms.CharField(label=_("支援の内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    expert = ExpertChoiceField(label=_("専門家"), queryset=ExpertProfile.objects.none())
    day = forms.DateField(label=_("支援日"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("開始時刻"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("終了時刻"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("支援場所"), max_length=200, help_text=_("原則として事業者の事業所です。"))

    def __init__(self, *args, company, organisation_ids, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        self.fields["consultation"].queryset = consultations_usable_by(organisation_ids, company)
        self.fields["expert"].queryset = experts if experts is not None else experts_for_prefecture(company.prefecture_id)

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start))
            data["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end))
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("終了時刻は開始時刻より後にしてください。"))
        data["company"] = self.company
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
        error_messages={"required": _("理由を入力してください。")},
    )


class RescheduleForm(ReasonForm):
    day = forms.DateField(label=_("支援日"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("開始時刻"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("終了時刻"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("支援場所"), max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start_time") and data.get("end_time"):
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(data["day"], data["start_time"]))
            data["ends_at"] = timezone.make_aware(datetime.datetime.combine(data["day"], data["end_time"]))
        return data


class ListFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状態"), choices=[("", _("すべて"))] + State.choices, required=False)
    fiscal_year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
