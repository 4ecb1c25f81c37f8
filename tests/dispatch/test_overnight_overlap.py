"""An application clashing with the expert's evening visit past midnight names that visit as it runs
(20:00〜翌1:00), not as a span that seems to run backwards."""

import datetime

import pytest
from django.utils import timezone

from dispatch import actions
from dispatch.models import DispatchCase, State
from tests import factories
from tests.consultations.builders import consult

pytestmark = pytest.mark.django_db


def refusal_for_a_clash(world, hour):
    """Another company's draft with the same expert at `hour` on the first case's day, applied for."""
    other_company, _ = factories.company_with_member()
    clash = world.draft(days=10, hour=hour, company=other_company,
                        consultation=consult(world.staff, world.organisation, other_company))
    with pytest.raises(actions.Refused) as refused:
        actions.apply_case(world.staff, clash.pk)
    assert DispatchCase.objects.get(pk=clash.pk).state == State.DRAFT
    return " ".join(refused.value.reasons)


def test_a_clash_with_an_evening_visit_past_midnight_names_its_next_day_end(world):
    # given the expert's evening seminar from 20:00 to 1:00 the next day, applied for
    evening = world.draft(days=10, hour=20)
    DispatchCase.objects.filter(pk=evening.pk).update(ends_at=evening.starts_at + datetime.timedelta(hours=5))
    actions.apply_case(world.staff, evening.pk)
    # when a coordinator applies for the same expert at 23:00 that evening
    reason = refusal_for_a_clash(world, hour=23)
    # then the refusal gives the booked span as it runs
    start = timezone.localtime(evening.starts_at)
    assert f"この専門家は{start.month}月{start.day}日 20:00〜翌1:00に別の派遣の予定があります。" in reason


def test_a_clash_within_the_day_reads_as_before(world):
    first = world.draft(days=10, hour=10)
    actions.apply_case(world.staff, first.pk)

    reason = refusal_for_a_clash(world, hour=11)

    start = timezone.localtime(first.starts_at)
    assert f"この専門家は{start.month}月{start.day}日 10:00〜12:00に別の派遣の予定があります。" in reason
