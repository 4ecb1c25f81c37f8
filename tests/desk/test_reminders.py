"""Both sides are reminded the day before (`manage.py send_desk_reminders`), once."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from desk import actions
from desk.models import Booking
from desk.notices import send_reminders
from notifications.models import Outbox
from tests.desk.builders import at, business_day, open_day_weeks_after

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    booking = world.book(at(day, 10, 30))
    # booked a week ago
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - datetime.timedelta(days=7))
    return booking


def the_day_before(booking, hour=9):
    return at(timezone.localtime(booking.starts_at).date() - datetime.timedelta(days=1), hour)


def test_the_day_before_both_sides_get_a_reminder_with_how_to_join(world, booking):
    assert send_reminders(now=the_day_before(booking)) == 1
    mails = Outbox.objects.filter(template="desk_reminder")
    assert {tuple(m.to) for m in mails} == {(world.sme.email,), (world.consultant_a.email,)}
    sme_mail = next(m for m in mails if m.to == [world.sme.email])
    assert "明日はオンライン相談の日です" in sme_mail.subject
    assert booking.meeting_url in sme_mail.body_text and "/desk/m/" in sme_mail.body_text


def test_a_booking_is_reminded_once(world, booking):
    send_reminders(now=the_day_before(booking))
    assert send_reminders(now=the_day_before(booking, hour=15)) == 0
    assert Outbox.objects.filter(template="desk_reminder").count() == 2


def test_no_reminder_two_days_before_or_for_cancelled_bookings(world, booking):
    assert send_reminders(now=the_day_before(booking) - datetime.timedelta(days=1)) == 0
    actions.cancel_booking(world.sme, booking.pk)
    assert send_reminders(now=the_day_before(booking)) == 0


def test_a_booking_made_the_day_before_is_not_reminded_again(world, booking):
    Booking.objects.filter(pk=booking.pk).update(created_at=the_day_before(booking, hour=8))
    assert send_reminders(now=the_day_before(booking, hour=10)) == 0


def test_a_rescheduled_booking_is_reminded_for_its_new_day(world, booking):
    send_reminders(now=the_day_before(booking))
    day = open_day_weeks_after(world.desk, timezone.localtime(booking.starts_at).date())
    world.shift(world.consultant_a, day)
    moved = actions.reschedule_booking(world.sme, booking.pk, at(day, 10, 30))
    assert send_reminders(now=the_day_before(moved)) == 1


def test_the_command_runs(world, booking, capsys):
    call_command("send_desk_reminders")
    assert "desk reminders queued" in capsys.readouterr().out
