"""Two bookings for the last free consultant of a slot at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection, connections

from desk import actions
from desk.models import Booking
from tests import factories
from tests.desk.builders import DeskWorld, at, business_day

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises whole transactions instead",
    ),
]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
            outcomes[index] = True
        except actions.Refused as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_two_bookings_for_the_last_free_consultant_get_one():
    world = DeskWorld()
    day = business_day(3)
    world.shift(world.consultant_a, day)
    start = at(day, 10, 30)
    other_company, other_sme = factories.company_with_member()
    outcomes = race(lambda: world.book(start), lambda: world.book(start, actor=other_sme, company=other_company))
    assert outcomes.count(True) == 1
    (loser,) = [o for o in outcomes if o is not True]
    assert "埋まりました" in str(loser)
    assert Booking.objects.filter(starts_at=start).count() == 1


def test_two_bookings_with_two_consultants_on_duty_both_succeed_with_different_consultants():
    world = DeskWorld()
    day = business_day(3)
    world.staff_day(day)
    start = at(day, 10, 30)
    other_company, other_sme = factories.company_with_member()
    outcomes = race(lambda: world.book(start), lambda: world.book(start, actor=other_sme, company=other_company))
    assert outcomes == [True, True]
    assert set(Booking.objects.values_list("consultant_id", flat=True)) == {world.consultant_a.pk, world.consultant_b.pk}


def test_a_reschedule_and_a_booking_into_the_same_last_slot_get_one():
    world = DeskWorld()
    day = business_day(3)
    world.shift(world.consultant_a, day)
    booking = world.book(at(day, 9, 30))
    target = at(day, 13, 30)
    other_company, other_sme = factories.company_with_member()
    outcomes = race(lambda: actions.reschedule_booking(world.sme, booking.pk, target),
                    lambda: world.book(target, actor=other_sme, company=other_company))
    assert outcomes.count(True) == 1
    assert Booking.objects.filter(starts_at=target).count() == 1
