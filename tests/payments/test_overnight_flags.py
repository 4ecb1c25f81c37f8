"""The pre-payment checks name an evening visit past midnight with its real span (20:00〜翌1:00)."""

from django.urls import reverse

from payments import anomalies
from payments.models import AnomalyFlag
from tests.payments.builders import at


def overlap_reason(case):
    return AnomalyFlag.objects.get(case=case, kind="overlap").reason


def test_a_visit_overlapping_an_evening_visit_past_midnight_names_it_with_the_next_day_end(login, world):
    # given one expert's evening seminar from 20:00 to 1:00 the next day and another visit at 23:00
    evening = world.verified(days_ago=10, hour=20, hours=5)
    late = world.verified(days_ago=10, hour=23, company=world.new_company())
    # when the secretariat's check runs
    anomalies.scan([evening.pk, late.pk])
    # then the finding on the late visit names the evening one as it ran
    day = f"{at(10, 20):%Y-%m-%d}"
    assert f"派遣#{evening.pk}（{world.company.name}、東京都、{day} 20:00〜翌1:00）" in overlap_reason(late)
    assert f"{day} 23:00〜翌1:00）" in overlap_reason(evening)
    # and so does the list the secretariat checks before paying
    page = login(world.secretariat).get(reverse("payments:flag_list")).content.decode()
    assert f"{day} 20:00〜翌1:00" in page


def test_a_visit_within_the_day_is_named_as_before(world):
    first = world.verified(days_ago=10, hour=10)
    second = world.verified(days_ago=10, hour=11, company=world.new_company())

    anomalies.scan([first.pk, second.pk])

    assert f"（{world.company.name}、東京都、{at(10):%Y-%m-%d} 10:00〜12:00）" in overlap_reason(second)


def test_a_visit_ending_at_midnight_reads_as_ending_on_the_next_day(world):
    late = world.verified(days_ago=10, hour=22, hours=2)
    other = world.verified(days_ago=10, hour=23, company=world.new_company())

    anomalies.scan([late.pk, other.pk])

    assert f"{at(10):%Y-%m-%d} 22:00〜翌0:00）" in overlap_reason(other)
