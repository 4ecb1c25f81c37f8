"""The rules of reporting and certifying, as plain functions (no writes but the settings row)."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.dates import clock_span, datetime_span
from dispatch.models import State
from programme.services import programme_for_year

from .models import ReportRules, SupportReport

# Cases whose visit is over, so the expert may report: DONE after the SME's check-out, or still
# SCHEDULED once the planned end has passed (the check-out may be missing; the evidence check sees that).
REPORTABLE_STATES = [State.DONE, State.SCHEDULED]


def rules_for(fiscal_year):
    """This app's rules for a fiscal year, created with the defaults the first time."""
    programme = programme_for_year(fiscal_year)
    rules = ReportRules.objects.filter(programme=programme).first()
    if rules is None:
        try:
            with transaction.atomic():
                rules = ReportRules.objects.create(programme=programme)
        except IntegrityError:  # created meanwhile by a concurrent request
            rules = ReportRules.objects.get(programme=programme)
    return rules


def report_refusal(case, now=None):
    """Why the expert may not file the report now (Japanese), or ''."""
    now = now or timezone.now()
    if case.state == State.REPORTED:
        return _("支援報告書は提出済みです。修正する場合は「報告を修正する」から行ってください。")
    if case.state not in REPORTABLE_STATES:
        return _("この派遣は「%(state)s」のため、支援報告書を提出できません。") % {"state": case.get_state_display()}
    if case.state == State.SCHEDULED and case.ends_at > now:
        end = timezone.localtime(case.ends_at)
        return _("支援の終了予定（%(end)s）の後に提出してください。") % {"end": date_format(end, "MONTH_DAY_TIME_FORMAT")}
    return ""


def planned_hours(case):
    return Decimal((case.ends_at - case.starts_at).total_seconds()) / Decimal(3600)


def max_plausible_hours(case):
    """The planned duration plus the programme's window at both ends (±20 minutes by default)."""
    window = programme_for_year(case.fiscal_year).time_window_minutes
    return planned_hours(case) + Decimal(2 * window) / Decimal(60)


def hours_refusal(case, hours):
    """Why the reported hours cannot be right (Japanese), or ''."""
    if hours is None or hours <= 0:
        return _("支援時間は0より大きい値を入力してください。")
    limit = max_plausible_hours(case)
    if hours > limit:
        return _(
            "支援時間（%(hours)s時間）が予定（%(planned)s時間）より長すぎます。"
            "実際に支援した時間を入力してください（予定の前後の許容幅を含めて%(limit)s時間まで）。"
        ) % {"hours": format_hours(hours), "planned": format_hours(planned_hours(case)), "limit": format_hours(limit)}
    return ""


def format_hours(value):
    """2.50 → '2.5', 2.6666… → '2.67'."""
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---- the certified span (従事証明の時刻) -----------------------------------------------------

def span_refusal(start, end, next_day):
    """Why the certified times are not a visit (Japanese), or ''. A visit past midnight ends on the
    next day (an evening seminar 20:00–翌1:00); any span is longer than zero and shorter than a day."""
    if not (start and end):
        return _("終了時刻は開始時刻より後にしてください。")
    if not next_day and end < start:
        return _(
            "終了時刻は開始時刻より後にしてください。日付をまたいで翌日に終わった場合は、"
            "「終了は翌日」にチェックを入れてください。"
        )
    if not next_day and end == start:
        return _("終了時刻は開始時刻より後にしてください。")
    if next_day and end >= start:
        return _(
            "「終了は翌日」では支援時間が24時間以上になります（%(span)s）。"
            "同じ日のうちに終わった場合は、チェックを外してください。"
        ) % {"span": format_time_span(start, end, next_day=True)}
    return ""


def format_time_span(start, end, next_day=False):
    """'10:00〜12:00'; a visit past midnight '22:00〜翌1:30'."""
    return clock_span(start, end, next_day)


def certified_span(certification):
    """'2026年11月20日 22:00〜翌1:30' (the date is the day the support began)."""
    times = format_time_span(certification.start_time, certification.end_time, certification.ends_next_day)
    return f"{date_format(certification.support_date, 'DATE_FORMAT')} {times}"


def planned_span(case):
    """The plan as '2026年11月20日 20:00〜翌1:00' ('… 10:00〜12:00' within the day)."""
    return datetime_span(case.starts_at, case.ends_at)


def certified_hours(certification):
    """The certified duration beside the report's hours (the honorarium is paid on the report's hours
    when the year pays by the hour), for the secretariat's check."""
    certified = certification.hours.quantize(Decimal("0.01"))
    report = SupportReport.objects.filter(case_id=certification.case_id).only("hours").first()
    return {
        "certified": format_hours(certified),
        "reported": format_hours(report.hours) if report else "",
        "report_longer": bool(report and report.hours > certified),
    }


def travel_refusal(amount, route):
    if amount is None or amount < 0:
        return _("旅費は0円以上の金額（円単位の整数）を入力してください。")
    if amount > 0 and not (route or "").strip():
        return _("旅費を請求する場合は、経路と交通手段（例：JR中央線 立川→東京 往復）を入力してください。")
    return ""


def link_expiry(fiscal_year, now=None):
    now = now or timezone.now()
    return now + datetime.timedelta(days=rules_for(fiscal_year).certification_link_days)
