"""Withholding income tax on a payment to an individual: 10.21 % up to ¥1,000,000, 20.42 % above."""

import pytest

from payments.rules import withholding


def test_thirty_thousand_yen_is_withheld_at_ten_point_two_one_percent():
    assert withholding(30_000) == 3_063


def test_one_million_yen_is_withheld_at_ten_point_two_one_percent():
    assert withholding(1_000_000) == 102_100


def test_one_and_a_half_million_yen_adds_twenty_point_four_two_percent_on_the_excess():
    assert withholding(1_500_000) == 102_100 + 102_100


def test_fractions_of_a_yen_are_truncated():
    assert withholding(31_320) == 3_197  # 3197.772


@pytest.mark.parametrize("amount", [30_000, 1_000_000, 1_500_000])
def test_corporations_are_not_withheld(amount):
    assert withholding(amount, is_corporation=True) == 0


def test_nothing_is_withheld_from_nothing():
    assert withholding(0) == 0
