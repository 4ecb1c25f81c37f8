"""Two people acting on one case at the same moment leave exactly one valid outcome (row locks)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from dispatch import actions
from dispatch.models import DispatchEvent, State
from tests.dispatch.builders import World

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises whole transactions instead",
    ),
]


def race(*calls):
    """Run the calls at once from separate connections; return their outcomes (True or the exception)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
            outcomes[index] = True
        except (actions.Refused, PermissionDenied) as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_two_secretariat_approvals_at_once_approve_once():
    world = World()
    case = world.case_in(State.APPLIED)
    outcomes = race(lambda: actions.approve_case(world.secretariat, case.pk),
                    lambda: actions.approve_case(world.secretariat, case.pk))
    assert outcomes.count(True) == 1
    assert isinstance([o for o in outcomes if o is not True][0], actions.Refused)
    assert DispatchEvent.objects.filter(case=case, to_state=State.APPROVED).count() == 1


def test_accept_and_cancel_at_once_leave_one_consistent_outcome():
    world = World()
    case = world.case_in(State.APPROVED)
    outcomes = race(lambda: actions.accept_case(world.expert.user, case.pk),
                    lambda: actions.cancel_case(world.staff, case.pk, "事業者の都合"))
    case.refresh_from_db()
    # either the cancel won (accept refused) or the accept won and the cancel then cancelled a scheduled case
    events = list(DispatchEvent.objects.filter(case=case).values_list("to_state", flat=True))
    assert case.state == State.CANCELLED
    if outcomes[0] is True:
        assert events[-2:] == [State.SCHEDULED, State.CANCELLED] and case.ics_sequence == 1
    else:
        assert State.SCHEDULED not in events and case.ics_sequence == 0


def test_two_organisations_applying_the_last_free_dispatch_at_once_get_one():
    world = World()
    for days in (10, 11):
        actions.apply_case(world.staff, world.draft(days=days).pk)
    first, second = world.draft(days=12), world.draft(days=13)
    outcomes = race(lambda: actions.apply_case(world.staff, first.pk),
                    lambda: actions.apply_case(world.staff, second.pk))
    assert outcomes.count(True) == 1
    assert "上限" in str([o for o in outcomes if o is not True][0])


def test_two_bookings_of_one_expert_at_the_same_time_get_one():
    from tests import factories
    from tests.consultations.builders import consult

    world = World()
    other_company, _ = factories.company_with_member()
    other_consultation = consult(world.staff, world.organisation, other_company)
    first = world.draft(days=10, hour=10)
    second = world.draft(days=10, hour=10, company=other_company, consultation=other_consultation)
    outcomes = race(lambda: actions.apply_case(world.staff, first.pk), lambda: actions.apply_case(world.staff, second.pk))
    assert outcomes.count(True) == 1
    assert "別の派遣の予定" in str([o for o in outcomes if o is not True][0])
