"""Honorarium and travel under the programme year's rules (a ProgrammeYear need not be saved)."""

from decimal import Decimal

from payments.rules import case_amounts, honorarium, payment_amounts, travel_allowed
from programme.models import ProgrammeYear


def year(**rules):
    return ProgrammeYear(fiscal_year=2026, **rules)


def test_the_honorarium_is_per_visit_when_no_hourly_rate_is_set():
    assert honorarium(year(honorarium_per_visit=30000, honorarium_per_hour=0), Decimal("5.5")) == 30000


def test_an_hourly_honorarium_is_paid_for_the_reported_hours():
    assert honorarium(year(honorarium_per_hour=8000, honorarium_max_hours=4), Decimal("2.5")) == 20000


def test_an_hourly_honorarium_stops_at_the_maximum_hours():
    assert honorarium(year(honorarium_per_hour=8000, honorarium_max_hours=4), Decimal("6")) == 32000


def test_actual_travel_is_the_claim():
    assert travel_allowed(year(travel_rule="actual", travel_cap=0), 12_340) == 12_340


def test_actual_travel_is_capped():
    assert travel_allowed(year(travel_rule="actual", travel_cap=10_000), 12_340) == 10_000


def test_flat_travel_ignores_the_claim():
    assert travel_allowed(year(travel_rule="flat", travel_flat_amount=3_000), 12_340) == 3_000


def test_no_travel_is_paid_when_the_year_pays_none():
    assert travel_allowed(year(travel_rule="none"), 12_340) == 0


def test_the_claim_is_kept_beside_the_allowed_amount():
    amounts = case_amounts(year(honorarium_per_visit=30000, travel_rule="actual", travel_cap=1000), Decimal(2), 1320)
    assert (amounts.travel_claimed, amounts.travel_allowed, amounts.gross) == (1320, 1000, 31000)


def test_withholding_is_on_honorarium_and_travel_of_one_payment():
    programme = year(honorarium_per_visit=30000, travel_rule="actual", travel_cap=0)
    payment = payment_amounts([case_amounts(programme, Decimal(2), 1320)] * 2, is_corporation=False)
    assert (payment.gross, payment.withholding, payment.net) == (62640, 6395, 56245)
