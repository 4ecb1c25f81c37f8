"""Whoever holds a case up is reminded after N business days, once per step."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.dates import add_business_days
from dispatch import actions
from dispatch.models import DispatchCase, State
from dispatch.reminders import send_reminders
from notifications.models import Outbox
from programme.services import programme_for

pytestmark = pytest.mark.django_db


def waiting_since(case, day):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    DispatchCase.objects.filter(pk=case.pk).update(step_started_at=moment)
    return moment


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def reminders():
    return list(Outbox.objects.filter(template="dispatch_reminder"))


def test_the_expert_is_reminded_after_three_business_days_once(world):
    # given an approved case waiting for the expert since a Monday
    case = world.case_in(State.APPROVED)
    start = datetime.date(2026, 11, 9)  # Monday
    waiting_since(case, start)
    assert programme_for(start).reminder_business_days == 3
    # two business days later: nothing yet
    assert send_reminders(now=at(add_business_days(start, 2))) == 0
    # three business days later: one reminder to the expert
    assert send_reminders(now=at(add_business_days(start, 3))) == 1
    (mail,) = reminders()
    assert mail.to == [world.expert.user.email]
    assert "対応をお願いします" in mail.subject
    # running again sends nothing more for the same step
    assert send_reminders(now=at(add_business_days(start, 5))) == 0


def test_holidays_do_not_count_as_business_days(world):
    case = world.case_in(State.APPROVED)
    start = datetime.date(2026, 12, 25)  # Friday; 12/29–1/3 closed, weekends closed
    waiting_since(case, start)
    assert send_reminders(now=at(datetime.date(2027, 1, 4))) == 0  # 12/28 and 1/4 only
    assert send_reminders(now=at(datetime.date(2027, 1, 5))) == 1


def test_each_step_gets_its_own_reminder(world, settings):
    case = world.case_in(State.APPLIED)
    start = datetime.date(2026, 11, 9)
    waiting_since(case, start)
    assert send_reminders(now=at(add_business_days(start, 3))) == 1
    assert reminders()[0].to == [settings.SECRETARIAT_EMAIL]
    # the secretariat acts; the next holder (the expert) gets a reminder of their own later
    actions.approve_case(world.secretariat, case.pk)
    waiting_since(case, start)
    assert send_reminders(now=at(add_business_days(start, 3))) == 1
    assert [m.to for m in reminders()] == [[world.expert.user.email], [settings.SECRETARIAT_EMAIL]]


def test_returned_case_reminds_the_organisation_staff(world, settings):
    case = world.case_in(State.RETURNED)
    start = datetime.date(2026, 11, 9)
    waiting_since(case, start)
    send_reminders(now=at(add_business_days(start, 3)))
    assert reminders()[0].to == [world.staff.email]


def test_the_applied_reminder_goes_to_the_secretariat_address(world, settings):
    case = world.case_in(State.APPLIED)
    waiting_since(case, datetime.date(2026, 11, 9))
    send_reminders(now=at(datetime.date(2026, 11, 20)))
    assert reminders()[0].to == [settings.SECRETARIAT_EMAIL]


def test_scheduled_and_cancelled_cases_are_not_reminded(world):
    for state, days in ((State.SCHEDULED, 10), (State.CANCELLED, 12)):
        waiting_since(world.case_in(state, days=days), datetime.date(2026, 11, 2))
    assert send_reminders(now=at(datetime.date(2026, 11, 20))) == 0


def test_the_command_runs_and_reports(world, capsys):
    case = world.case_in(State.APPROVED)
    waiting_since(case, timezone.localdate() - datetime.timedelta(days=30))
    call_command("send_reminders")
    assert "reminders queued: 1" in capsys.readouterr().out


def test_staff_lists_show_overdue_cases_first(login, world):
    fresh = world.case_in(State.APPLIED, days=10)
    stale = world.case_in(State.APPLIED, days=20)
    waiting_since(stale, timezone.localdate() - datetime.timedelta(days=30))
    page = login(world.secretariat).get(reverse("dispatch:list"), {"view": "queue"}).content.decode()
    stale_at = page.index(reverse("dispatch:detail", args=[stale.pk]))
    fresh_at = page.index(reverse("dispatch:detail", args=[fresh.pk]))
    assert stale_at < fresh_at  # although its visit is later
    assert "対応が遅れています" in page
