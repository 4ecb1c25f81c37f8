import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from consultations.models import Consultation
from directory.models import Organisation
from reference.models import Specialty

from .models import DEFAULT_CLOSES, DEFAULT_OPENS, Source, Weekday


def _themes():
    return Specialty.objects.filter(is_active=True)


class DeskForm(forms.Form):
    """The desk's settings and its week (one row of fields per weekday)."""

    name = forms.CharField(label=_("窓口の名称"), max_length=100)
    description = forms.CharField(label=_("案内文"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    phone = forms.CharField(label=_("相談用の電話番号"), max_length=20, required=False,
                            help_text=_("電話相談を受けるときに入力します。例：043-305-1234"))
    meeting_url_template = forms.CharField(
        label=_("Web会議URLのひな形"), max_length=300, required=False,
        help_text=_("予約ごとに会議室を分けるため、{room} を入れてください。例：https://meet.jit.si/yorozu-{room}"),
    )
    slot_minutes = forms.TypedChoiceField(label=_("1枠の長さ"), coerce=int, initial=60, choices=[
        (30, _("30分")), (45, _("45分")), (60, _("60分")), (90, _("90分")), (120, _("120分"))])
    min_consultants = forms.IntegerField(label=_("最低配置人数（名）"), min_value=1, max_value=20, initial=2)
    booking_weeks = forms.IntegerField(label=_("予約を受け付ける期間（週）"), min_value=1, max_value=26, initial=4)
    notice_hours = forms.IntegerField(label=_("予約の締切（開始の何時間前まで）"), min_value=0, max_value=168, initial=1)
    max_open_bookings = forms.IntegerField(label=_("1事業者が同時に持てる予約の数"), min_value=1, max_value=10, initial=2)
    allow_fixed_consultant = forms.BooleanField(label=_("相談員の指名を受け付ける"), required=False)
    closed_year_end = forms.BooleanField(label=_("年末年始（12月29日〜1月3日）は休業"), required=False, initial=True)
    is_active = forms.BooleanField(label=_("予約を受け付けている"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themes = _themes()
        for day in Weekday:
            self.fields[f"open_{day.value}"] = forms.BooleanField(
                label=day.label, required=False, initial=day.value < 5)
            self.fields[f"opens_{day.value}"] = forms.TimeField(
                label=_("%(day)sの受付開始") % {"day": day.label}, required=False, initial=DEFAULT_OPENS,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
            self.fields[f"closes_{day.value}"] = forms.TimeField(
                label=_("%(day)sの受付終了") % {"day": day.label}, required=False, initial=DEFAULT_CLOSES,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
            self.fields[f"theme_{day.value}"] = forms.ModelChoiceField(
                label=_("%(day)sのテーマ") % {"day": day.label}, queryset=themes, required=False,
                empty_label=_("テーマなし"))

    def settings_fields(self):
        return [self[name] for name in self.fields if not name.split("_")[-1].isdigit()]

    def weekday_rows(self):
        return [(day, self[f"open_{day.value}"], self[f"opens_{day.value}"], self[f"closes_{day.value}"],
                 self[f"theme_{day.value}"]) for day in Weekday]

    def clean(self):
        data = super().clean()
        for day in Weekday:
            if data.get(f"open_{day.value}"):
                for part in ("opens", "closes"):
                    if not data.get(f"{part}_{day.value}") and f"{part}_{day.value}" not in self.errors:
                        self.add_error(f"{part}_{day.value}", _("受付する曜日の時刻を入力してください。"))
        return data

    def hours(self):
        data = self.cleaned_data
        return [
            (day.value, data[f"opens_{day.value}"], data[f"closes_{day.value}"], data.get(f"theme_{day.value}"))
            for day in Weekday if data.get(f"open_{day.value}")
        ]

    @staticmethod
    def initial_for(desk):
        initial = {name: getattr(desk, name) for name in [
            "name", "description", "phone", "meeting_url_template", "slot_minutes", "min_consultants",
            "booking_weeks", "notice_hours", "max_open_bookings", "allow_fixed_consultant", "closed_year_end",
            "is_active"]}
        hours = {h.weekday: h for h in desk.hours.all()}
        for day in Weekday:
            h = hours.get(day.value)
            initial[f"open_{day.value}"] = h is not None
            if h:
                initial.update({f"opens_{day.value}": h.opens_at, f"closes_{day.value}": h.closes_at,
                                f"theme_{day.value}": h.theme_id})
        return initial


class OpenDeskForm(DeskForm):
    organisation = forms.ModelChoiceField(label=_("運営する支援機関"), queryset=Organisation.objects.none())

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.order_fields(["organisation"])


class ClosureForm(forms.Form):
    date = forms.DateField(label=_("休業日"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("理由"), max_length=100, required=False, help_text=_("例：職員研修のため"))


class ShiftForm(forms.Form):
    day = forms.DateField(label=_("日付"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TypedChoiceField(label=_("開始"), coerce=lambda v: datetime.time.fromisoformat(v))
    end = forms.TypedChoiceField(label=_("終了"), coerce=lambda v: datetime.time.fromisoformat(v))
    weeks = forms.TypedChoiceField(label=_("繰り返し"), coerce=int, initial=1, choices=[
        (1, _("この日だけ")), (2, _("2週間（毎週同じ曜日）")), (4, _("4週間（毎週同じ曜日）")),
        (8, _("8週間（毎週同じ曜日）")), (12, _("12週間（毎週同じ曜日）"))])

    def __init__(self, *args, times, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f"{t:%H:%M}", f"{t:%H:%M}") for t in times]
        self.fields["start"].choices = choices[:-1]
        self.fields["end"].choices = choices[1:]


def shift_times(hours, slot_minutes):
    """Times a shift may start or end: the slot grid of every open weekday."""
    times = set()
    for h in hours:
        current = datetime.datetime.combine(datetime.date(2000, 1, 3), h.opens_at)
        close = datetime.datetime.combine(datetime.date(2000, 1, 3), h.closes_at)
        while current <= close:
            times.add(current.time())
            current += datetime.timedelta(minutes=slot_minutes)
        times.add(h.closes_at)
    return sorted(times)


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.municipality}）"


class BookingForm(forms.Form):
    company = CompanyChoiceField(label=_("相談する事業者"), queryset=Company.objects.none(), empty_label=None)
    channel = forms.ChoiceField(label=_("相談方法"), widget=forms.RadioSelect)
    theme = forms.ModelChoiceField(label=_("相談テーマ"), queryset=_themes(), required=False, empty_label=_("決めていない"))
    description = forms.CharField(
        label=_("相談したいこと（簡単に）"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("相談員が準備できるよう、困っていることを100〜200字ほどで書いてください。"),
    )
    contact_phone = forms.CharField(label=_("当日つながる電話番号"), max_length=20, required=False)
    source = forms.ChoiceField(label=_("この窓口を何で知りましたか"), choices=Source.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("窓口を知ったきっかけを選んでください。")})
    source_note = forms.CharField(label=_("「その他」の内容"), max_length=100, required=False)
    shokokai = forms.ModelChoiceField(label=_("会員になっている商工会"), queryset=Organisation.objects.none(),
                                      required=False, empty_label=_("会員ではない・わからない"))
    consultant = forms.ModelChoiceField(label=_("相談員の指名"), queryset=None, required=False,
                                        empty_label=_("指名しない"))

    def __init__(self, *args, desk, companies, shokokai=None, consultants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        self.fields["channel"].choices = desk.channel_choices()
        if shokokai is None:
            del self.fields["shokokai"]
        else:
            self.fields["shokokai"].queryset = shokokai
        if consultants is None:
            del self.fields["consultant"]
        else:
            self.fields["consultant"].queryset = consultants
            self.fields["consultant"].label_from_instance = lambda user: user.name

    def clean(self):
        data = super().clean()
        if data.get("source") == Source.OTHER and not (data.get("source_note") or "").strip():
            self.add_error("source_note", _("「その他」を選んだときは、内容を入力してください。"))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消しの理由（任意）"), max_length=200, required=False)


class WalkInForm(forms.Form):
    started = forms.DateTimeField(
        label=_("相談を受けた日時"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    minutes = forms.IntegerField(label=_("相談時間（分）"), min_value=5, max_value=240, initial=30)
    channel = forms.ChoiceField(label=_("相談方法"), widget=forms.RadioSelect)
    company_ref = forms.CharField(label=_("登録済みの事業者（法人番号または事業者番号）"), max_length=20, required=False,
                                  help_text=_("わかる場合だけ入力してください。"))
    caller_company = forms.CharField(label=_("事業者名"), max_length=100, required=False)
    caller_name = forms.CharField(label=_("相談者の氏名"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("連絡先電話番号"), max_length=20, required=False)
    shokokai = forms.ModelChoiceField(label=_("会員になっている商工会"), queryset=Organisation.objects.none(),
                                      required=False, empty_label=_("会員ではない・わからない"))
    theme = forms.ModelChoiceField(label=_("相談テーマ"), queryset=_themes(), required=False, empty_label=_("なし"))
    description = forms.CharField(label=_("相談の概要"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.ChoiceField(label=_("この窓口を何で知ったか"), choices=[("", _("聞いていない"))] + Source.choices,
                               required=False)
    source_note = forms.CharField(label=_("「その他」の内容"), max_length=100, required=False)

    def __init__(self, *args, desk, shokokai, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = desk.channel_choices()
        self.fields["shokokai"].queryset = shokokai

    def clean_company_ref(self):
        ref = self.cleaned_data["company_ref"].strip()
        if not ref:
            return None
        company = find_company(ref)
        if company is None:
            raise forms.ValidationError(_("該当する事業者が見つかりません。番号を確認してください。"))
        return company


def find_company(ref):
    """A company by its 13-digit 法人番号 or its 事業者番号 (the id shown on its page)."""
    ref = (ref or "").strip()
    if len(ref) == 13 and ref.isdigit():
        return Company.objects.filter(corporate_number=ref).first()
    if ref.isdigit() and len(ref) < 13:
        return Company.objects.filter(pk=int(ref)).first()
    return None


class SessionRecordForm(forms.Form):
    """The consultation record of a session; date, channel and consultant come from the booking."""

    company_ref = forms.CharField(label=_("相談した事業者（法人番号または事業者番号）"), max_length=20, required=False)
    attendees_note = forms.CharField(label=_("相談者（氏名・役職）"), max_length=200, required=False)
    topics = forms.ModelMultipleChoiceField(
        label=_("相談分野"), queryset=_themes(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("相談分野を1つ以上選んでください。")},
    )
    problem = forms.CharField(label=_("課題"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    outcome = forms.ChoiceField(label=_("対応結果"), choices=Consultation.Outcome.choices, widget=forms.RadioSelect)
    next_steps = forms.CharField(label=_("今後の対応"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                 max_length=4000)
    refer_to = forms.ModelChoiceField(
        label=_("紹介先の支援機関"), queryset=Organisation.objects.filter(is_active=True), required=False,
        help_text=_("対面での相談や専門家派遣につなぐときは、事業者の商工会などを選び「他機関へ紹介」にしてください。"),
    )
    referral_note = forms.CharField(label=_("紹介の内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                    max_length=2000)

    def __init__(self, *args, needs_company, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_company:
            del self.fields["company_ref"]
        else:
            self.fields["company_ref"].required = True

    def clean_company_ref(self):
        company = find_company(self.cleaned_data["company_ref"])
        if company is None:
            raise forms.ValidationError(_("該当する事業者が見つかりません。番号を確認してください。"))
        return company

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Consultation.Outcome.REFERRED:
            if not data.get("refer_to"):
                self.add_error("refer_to", _("紹介先の支援機関を選んでください。"))
            if not (data.get("referral_note") or "").strip():
                self.add_error("referral_note", _("紹介の内容を入力してください。"))
        elif data.get("refer_to"):
            self.add_error("outcome", _("紹介先を選んだときは、対応結果を「他機関へ紹介」にしてください。"))
        return data


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("商工会"), queryset=Organisation.objects.none(), empty_label=None)
    company_ref = forms.CharField(label=_("法人番号または事業者番号"), max_length=20,
                                  help_text=_("事業者がマイページで確認できる番号、または13桁の法人番号を入力してください。"))

    def clean_company_ref(self):
        company = find_company(self.cleaned_data["company_ref"])
        if company is None:
            raise forms.ValidationError(_("該当する事業者が見つかりません。番号を確認してください。"))
        return company

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk


class ReportForm(forms.Form):
    start = forms.DateField(label=_("開始日"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("終了日"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["end"] < data["start"]:
                self.add_error("end", _("終了日は開始日以降の日付にしてください。"))
            elif (data["end"] - data["start"]).days > 731:
                self.add_error("end", _("集計できる期間は2年までです。"))
        return data

