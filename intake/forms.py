import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation

from .models import ExpertRequest


class AskForm(forms.Form):
    company = forms.ModelChoiceField(label=_("依頼する事業者"), queryset=None, empty_label=None)
    organisation = forms.ModelChoiceField(
        label=_("依頼先の支援機関"),
        queryset=None,
        empty_label=None,
        help_text=_("支援機関が2営業日以内に、相談をお受けするかどうかを回答します。"),
    )
    problem = forms.CharField(
        label=_("相談したい課題"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("今困っていること、専門家に期待することを具体的にお書きください。"),
        error_messages={"required": _("相談したい課題を入力してください。")},
    )
    preferred_channel = forms.ChoiceField(
        label=_("希望する相談方法"), choices=ExpertRequest.Channel.choices, initial=ExpertRequest.Channel.IN_PERSON,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        listed = list(companies)
        prefectures = {c.prefecture_id for c in listed}
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(is_active=True, prefecture_id__in=prefectures)
            .select_related("prefecture")
            .order_by("prefecture_id", "kind", "name")
        )
        self.fields["organisation"].label_from_instance = lambda o: f"{o.name}（{o.prefecture}・{o.get_kind_display()}）"
        if len(listed) == 1:
            self.fields["company"].widget = forms.HiddenInput()
        first = listed[0]
        self.initial.setdefault("company", first.pk)
        default = default_organisation(first)
        if default:
            self.initial.setdefault("organisation", default.pk)


def default_organisation(company):
    """The よろず支援拠点 of the company's prefecture (SPEC §4.2: the nearest Yorozu centre)."""
    return (
        Organisation.objects.filter(is_active=True, kind=Organisation.Kind.YOROZU, prefecture_id=company.prefecture_id)
        .order_by("pk")
        .first()
    )


class AcceptForm(forms.Form):
    date = forms.DateField(label=_("相談日"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("開始時刻"), widget=forms.TimeInput(attrs={"type": "time"}))
    channel = forms.ChoiceField(label=_("相談方法"), choices=ExpertRequest.Channel.choices, widget=forms.RadioSelect)
    place = forms.CharField(
        label=_("場所・電話番号・Web会議のURL"), max_length=200, required=False,
        help_text=_("対面の場合は必須です。"),
    )
    note = forms.CharField(label=_("事業者への連絡事項"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            moment = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
            if moment <= timezone.now():
                self.add_error("date", _("相談日時は現在より後の日時を指定してください。"))
            data["appointment_at"] = moment
        if data.get("channel") == ExpertRequest.Channel.IN_PERSON and not data.get("place"):
            self.add_error("place", _("対面で相談する場合は場所を入力してください。"))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("お断りの理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("事業者にそのまま表示されます。可能であれば代わりの相談先もお書きください。"),
        error_messages={"required": _("お断りする場合は理由を必ず入力してください。")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("取り下げの理由（任意）"), max_length=500, required=False)
