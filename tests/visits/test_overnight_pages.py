"""The pages that name a visit's time show an evening visit past midnight as it runs (20:00〜翌1:00),
not as a span that seems to run backwards; a visit within the day reads as before."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.models import State
from tests.visits.builders import move_visit, set_state

pytestmark = pytest.mark.django_db


def evening(world, state, hours):
    """A case in `state` whose visit ran yesterday from 20:00, `hours` long."""
    case = world.case_in(State.SCHEDULED)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    starts_at = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(20, 0)))
    return set_state(move_visit(case, starts_at, hours=hours), state), yesterday


@pytest.mark.parametrize("hours, span", [(5, "20:00〜翌1:00"), (2, "20:00〜22:00")])
def test_case_day_of_support_and_report_pages_show_the_span_as_it_runs(login, world, hours, span):
    case, day = evening(world, State.SCHEDULED, hours)
    when = f"{day.year}年{day.month}月{day.day}日 {span}"
    sme = login(world.sme)
    for url in [reverse("dispatch:detail", args=[case.pk]), reverse("visits:checkin", args=[case.pk])]:
        page = sme.get(url).content.decode()
        assert when in page, url
    expert = login(world.expert.user)
    assert when in expert.get(reverse("visits:code", args=[case.pk])).content.decode()
    set_state(case, State.DONE)
    assert when in expert.get(reverse("reports:report", args=[case.pk])).content.decode()
