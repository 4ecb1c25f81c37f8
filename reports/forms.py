import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import SCORE_CHOICES

TRAVEL_LIMIT = 1_000_000  # a typo guard, not a rule: the payment rules cap travel per programme year


class ReportForm(forms.Form):
    activities = forms.CharField(
        label=_("実施した支援の内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("当日行ったこと（現状の確認、分析、作業など）を具体的に書いてください。事業者が確認します。"),
        error_messages={"required": _("実施した支援の内容を入力してください。")},
    )
    advice = forms.CharField(
        label=_("助言・提案の内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("事業者に伝えた助言、次にやるべきことを書いてください。"),
        error_messages={"required": _("助言・提案の内容を入力してください。")},
    )
    hours = forms.DecimalField(
        label=_("支援時間（時間）"), max_digits=4, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "inputmode": "decimal"}),
        help_text=_("例：2時間30分なら 2.5"),
        error_messages={
            "required": _("支援時間を入力してください。"),
            "invalid": _("支援時間は数値で入力してください（例：2.5）。"),
            "max_digits": _("支援時間が長すぎます。"),
            "max_whole_digits": _("支援時間が長すぎます。"),
            "max_decimal_places": _("支援時間は小数点以下2桁までで入力してください（例：1.75）。"),
        },
    )
    travel_claimed = forms.CharField(
        label=_("請求する旅費（円）"), max_length=20, initial="0",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("円単位の整数で入力してください。請求しない場合は 0。"),
        error_messages={"required": _("旅費を入力してください。請求しない場合は 0 を入力してください。")},
    )
    travel_route = forms.CharField(
        label=_("経路・交通手段"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("旅費を請求する場合は必須です（例：JR中央線 立川→東京 往復）。"),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        refusal = rules.hours_refusal(self.case, hours)
        if refusal:
            raise forms.ValidationError(refusal)
        return hours

    def clean_travel_claimed(self):
        # Phones send full-width digits and people type "1,200円": accept those, refuse anything else.
        text = unicodedata.normalize("NFKC", self.cleaned_data["travel_claimed"])
        text = re.sub(r"[\s,円]", "", text)
        if text.startswith("-") and text[1:].isdigit():
            raise forms.ValidationError(_("旅費は0円以上の金額を入力してください。"))
        if not text.isascii() or not text.isdigit():
            raise forms.ValidationError(_("旅費は円単位の整数で入力してください（例：1200）。"))
        amount = int(text)
        if amount > TRAVEL_LIMIT:
            raise forms.ValidationError(_("旅費が大きすぎます（%(limit)s円まで）。金額を確認してください。") % {"limit": f"{TRAVEL_LIMIT:,}"})
        return amount

    def clean(self):
        data = super().clean()
        amount = data.get("travel_claimed")
        if amount is not None:
            refusal = rules.travel_refusal(amount, data.get("travel_route"))
            if refusal:
                self.add_error("travel_route", refusal)
        return data


SCORE_LABELS = {
    "satisfaction": (_("満足度"), _("5：とても満足 … 1：不満")),
    "usefulness": (_("役に立ったか"), _("5：とても役に立った … 1：役に立たなかった")),
    "punctuality": (_("時間を守ったか"), _("5：予定どおり … 1：大きく遅れた・早く帰った")),
}


def _score_field(name):
    label, help_text = SCORE_LABELS[name]
    return forms.TypedChoiceField(
        label=label, help_text=help_text, choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("1〜5のいずれかを選んでください。"),
                        "invalid_choice": _("1〜5のいずれかを選んでください。")},
    )


class CertifyForm(forms.Form):
    """従事証明 (date, times, content) and the evaluation of the expert, submitted together."""

    support_date = forms.DateField(
        label=_("支援日"), widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("支援日を入力してください。"), "invalid": _("支援日を正しく入力してください。")},
    )
    start_time = forms.TimeField(
        label=_("支援開始時刻"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("支援開始時刻を入力してください。"), "invalid": _("支援開始時刻を正しく入力してください（例：10:00）。")},
    )
    end_time = forms.TimeField(
        label=_("支援終了時刻"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("支援終了時刻を入力してください。"), "invalid": _("支援終了時刻を正しく入力してください（例：12:00）。")},
    )
    ends_next_day = forms.BooleanField(
        label=_("終了は翌日（日付をまたいで終わった）"), required=False,
        help_text=_("例：22:00から翌日の1:30までの支援なら、終了時刻に 01:30 を入れてチェックします。"),
    )
    content_confirmed = forms.BooleanField(
        label=_("上記の支援報告の内容が事実と相違ないことを確認しました"),
        error_messages={"required": _("支援報告の内容を確認し、確認欄にチェックを入れてください。")},
    )
    satisfaction = _score_field("satisfaction")
    usefulness = _score_field("usefulness")
    punctuality = _score_field("punctuality")
    would_recommend = forms.TypedChoiceField(
        label=_("この専門家を他の事業者に勧めたいですか"), choices=[("yes", _("はい")), ("no", _("いいえ"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        error_messages={"required": _("他の事業者に勧めたいかを選んでください。")},
    )
    comment = forms.CharField(
        label=_("ご意見・ご感想（任意）"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("事務局と支援機関だけが読みます。専門家には表示されません。"),
    )

    def __init__(self, *args, overnight=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.overnight = overnight

    @property
    def offer_next_day(self):
        """The 「翌日」 box is shown for a visit planned or reported past midnight, or once the times
        need it; a same-day visit keeps the form it always had."""
        if self.overnight:
            return True
        return self.is_bound and (bool(self["ends_next_day"].value()) or "end_time" in self.errors)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end:
            refusal = rules.span_refusal(start, end, data.get("ends_next_day", False))
            if refusal:
                self.add_error("end_time", refusal)
        return data

    def certification(self):
        names = ("support_date", "start_time", "end_time", "ends_next_day", "content_confirmed")
        return {name: self.cleaned_data[name] for name in names}

    def evaluation(self):
        return {name: self.cleaned_data[name] for name in ("satisfaction", "usefulness", "punctuality", "would_recommend", "comment")}


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("事実と異なる点"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例：支援は11時からではなく13時からでした。報告にある作業は行っていません。"),
        error_messages={"required": _("事実と異なる点を具体的に入力してください。"),
                        "max_length": _("事実と異なる点は2000文字以内で入力してください。")},
    )

