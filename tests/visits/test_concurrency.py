"""A double check-in or two consent uploads at the same moment count once (row locks, PostgreSQL)."""

import pytest
from django.db import connection

from dispatch.models import State
from tests.dispatch.builders import World
from tests.dispatch.test_concurrency import race
from tests.visits.builders import pdf_bytes, scheduled_now
from visits import actions, codes
from visits.models import PhotoConsent, TimeReport

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises whole transactions instead",
    ),
]


def test_a_double_check_in_at_once_is_recorded_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    case = scheduled_now(world, started_minutes_ago=1)
    code = codes.current_code(case.pk, "start")[0]

    outcomes = race(lambda: actions.check_in(world.sme, case.pk, "start", code),
                    lambda: actions.check_in(world.sme, case.pk, "start", code))

    assert outcomes.count(True) == 1
    assert TimeReport.objects.filter(case=case).count() == 1


def test_two_check_outs_at_once_close_the_visit_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    case = scheduled_now(world, started_minutes_ago=120)

    outcomes = race(lambda: actions.record_time_report(case.pk, "end", case.ends_at, source="mail"),
                    lambda: actions.record_time_report(case.pk, "end", case.ends_at, source="mail"))

    assert outcomes.count(True) == 1
    assert case.events.filter(to_state=State.DONE).count() == 1


def test_two_consents_at_once_are_kept_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()

    outcomes = race(lambda: actions.attach_consent(world.company.pk, 2026, pdf_bytes(), source="mail"),
                    lambda: actions.attach_consent(world.company.pk, 2026, pdf_bytes(), source="upload", actor=world.sme))

    assert outcomes.count(True) == 1
    assert PhotoConsent.objects.count() == 1
