import datetime

import pytest
from django.utils import timezone

from core.dates import (
    add_business_days,
    business_days_between,
    business_deadline,
    fiscal_year,
    fiscal_year_label,
    fiscal_year_range,
    holiday_name,
    is_business_day,
    wareki,
)

D = datetime.date


@pytest.mark.parametrize(
    "day, fy",
    [(D(2026, 3, 31), 2025), (D(2026, 4, 1), 2026), (D(2026, 12, 31), 2026), (D(2027, 1, 1), 2026), (D(2027, 3, 31), 2026)],
)
def test_fiscal_year_starts_on_1_april(day, fy):
    assert fiscal_year(day) == fy


def test_fiscal_year_range():
    assert fiscal_year_range(2026) == (D(2026, 4, 1), D(2027, 3, 31))


@pytest.mark.parametrize(
    "day, text",
    [
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2020, 1, 1), "令和2年1月1日"),
        (D(2026, 11, 23), "令和8年11月23日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_wareki(day, text):
    assert wareki(day) == text


@pytest.mark.parametrize("fy, label", [(2026, "令和8年度"), (2019, "平成31年度"), (2020, "令和2年度"), (2018, "平成30年度")])
def test_fiscal_year_label_uses_the_era_of_1_april(fy, label):
    assert fiscal_year_label(fy) == label


def test_labour_thanksgiving_day_is_not_a_business_day():
    assert holiday_name(D(2026, 11, 23)) == "勤労感謝の日"
    assert not is_business_day(D(2026, 11, 23))  # a Monday
    assert is_business_day(D(2026, 11, 24))


def test_adding_business_days_skips_weekend_and_holiday():
    # Fri 2026-11-20 + 1 business day: Sat, Sun and the Monday holiday are skipped
    assert add_business_days(D(2026, 11, 20), 1) == D(2026, 11, 24)
    assert add_business_days(D(2026, 11, 20), 2) == D(2026, 11, 25)


@pytest.mark.parametrize("day", [D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31), D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3)])
def test_year_end_closure_is_closed(day):
    assert not is_business_day(day)


def test_business_days_across_year_end():
    # Mon 2026-12-28 is the last business day; Mon 2027-1-4 the first of the new year
    assert add_business_days(D(2026, 12, 28), 1) == D(2027, 1, 4)
    assert business_days_between(D(2026, 12, 25), D(2027, 1, 5)) == 3  # 28, 4, 5


def test_zero_business_days_rolls_forward_only_when_closed():
    assert add_business_days(D(2026, 11, 24), 0) == D(2026, 11, 24)
    assert add_business_days(D(2026, 11, 21), 0) == D(2026, 11, 24)


def test_business_deadline_is_end_of_day_in_japan():
    moment = timezone.make_aware(datetime.datetime(2026, 11, 20, 16, 0))
    deadline = timezone.localtime(business_deadline(moment, 2))
    assert (deadline.date(), deadline.hour, deadline.minute) == (D(2026, 11, 25), 23, 59)
    assert str(deadline.tzinfo) == "Asia/Tokyo"


def test_fiscal_year_label_on_english_pages_is_fy_and_the_year():
    from django.utils import translation

    with translation.override("en"):
        assert fiscal_year_label(2026) == "FY2026"
    assert fiscal_year_label(2026) == "令和8年度"
