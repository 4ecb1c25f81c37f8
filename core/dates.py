"""Dates as Japanese public offices count them: fiscal years, 和暦, business days; and the span of a
visit as people write it (20:00〜翌1:00 for one past midnight).

Business days follow 行政機関の休日に関する法律: weekends, national holidays
(from the maintained `holidays` package) and 12/29–1/3 are closed.
"""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

ERAS = [
    # (first day, name): newest first.
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
    (datetime.date(1912, 7, 30), "大正"),
    (datetime.date(1868, 1, 25), "明治"),
]


def fiscal_year(day=None):
    """The fiscal year (年度) a date falls in: April to March, named by its April."""
    day = day or timezone.localdate()
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(fy):
    """First and last day of fiscal year `fy`."""
    return datetime.date(fy, 4, 1), datetime.date(fy + 1, 3, 31)


def era_year(day):
    """('令和', 8) for a date in 2026; 元年 is year 1."""
    for start, name in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError("dates before 明治 are not supported")


def _year_label(name, year):
    return f"{name}元" if year == 1 else f"{name}{year}"


def wareki(day):
    """令和8年11月23日"""
    name, year = era_year(day)
    return f"{_year_label(name, year)}年{day.month}月{day.day}日"


def fiscal_year_label(fy):
    """令和8年度 for 2026 (the era of the fiscal year's first day); "FY2026" on English pages, where an
    era name means nothing to the reader."""
    if (get_language() or "ja").startswith("en"):
        return f"FY{fy}"
    name, year = era_year(datetime.date(fy, 4, 1))
    return f"{_year_label(name, year)}年度"


@lru_cache(maxsize=64)
def _holidays(year):
    return holidays.country_holidays("JP", years=year, language="ja")


def holiday_name(day):
    return _holidays(day.year).get(day)


def is_year_end_closure(day):
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_business_day(day):
    return day.weekday() < 5 and day not in _holidays(day.year) and not is_year_end_closure(day)


def add_business_days(day, n):
    """The n-th business day after `day` (n >= 0; n == 0 rolls forward to a business day)."""
    current = day
    if n == 0:
        while not is_business_day(current):
            current += datetime.timedelta(days=1)
        return current
    while n > 0:
        current += datetime.timedelta(days=1)
        if is_business_day(current):
            n -= 1
    return current


def business_deadline(moment, n):
    """Deadline `n` business days after an aware datetime: end of that business day (JST)."""
    local = timezone.localtime(moment)
    day = add_business_days(local.date(), n)
    end = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return timezone.make_aware(end)


def business_days_between(start, end):
    """Business days after `start` up to and including `end` (dates)."""
    count = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_business_day(current):
            count += 1
    return count


# ---- spans of time (a visit, an evening seminar past midnight) -----------------------------

def next_day_time(moment):
    """'翌1:30': a time on the day after the span began, written without a leading zero."""
    return _("翌%(time)s") % {"time": f"{moment.hour}:{moment.minute:02d}"}


def clock_span(start, end, next_day=False):
    """Two times of day: '10:00〜12:00'; ending on the next day '22:00〜翌1:30'."""
    return f"{start:%H:%M}〜" + (next_day_time(end) if next_day else f"{end:%H:%M}")


def span_end(starts_at, ends_at):
    """How the end of a span reads after its start (aware datetimes, local time): '12:00' on the same
    day, '翌1:00' on the next, its full date and time later still (not a visit, but shown as it is)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    days = (end.date() - start.date()).days
    if days == 0:
        return f"{end:%H:%M}"
    if days == 1:
        return next_day_time(end)
    return date_format(end, "DATETIME_MINUTE_FORMAT")


def time_span(starts_at, ends_at):
    """'10:00〜12:00'; past midnight '20:00〜翌1:00' (for a line that shows the day apart)."""
    return f"{timezone.localtime(starts_at):%H:%M}〜{span_end(starts_at, ends_at)}"


def datetime_span(starts_at, ends_at):
    """'2026年11月20日 10:00〜12:00'; past midnight '2026年11月20日 20:00〜翌1:00'."""
    start = date_format(timezone.localtime(starts_at), "DATETIME_MINUTE_FORMAT")
    return f"{start}〜{span_end(starts_at, ends_at)}"
