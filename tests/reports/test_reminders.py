"""Whoever holds the case up after the visit is reminded once, after the programme's business days."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from dispatch.models import DispatchCase
from notifications.models import Outbox
from reports import actions
from reports.models import CertificationLink
from reports.reminders import send_report_reminders
from tests.reports.builders import mailed_link, reported, visit_over, visited

pytestmark = pytest.mark.django_db


def later(days=10):
    return timezone.now() + datetime.timedelta(days=days)


def test_an_expert_who_has_not_reported_is_reminded_once(world):
    case = visited(world)
    assert send_report_reminders(now=later()) == (1, 0)
    mail = Outbox.objects.get(template="report_reminder")
    assert mail.to == [world.expert.user.email] and "支援報告書の提出" in mail.subject
    assert f"/dispatch/{case.pk}/" in mail.body_text
    assert send_report_reminders(now=later(11)) == (0, 0)


def test_nobody_is_reminded_before_the_business_days_have_passed(world):
    visited(world)
    reported(world, days=12)
    assert send_report_reminders() == (0, 0)
    assert not Outbox.objects.filter(template="report_reminder").exists()


def test_sme_members_waiting_to_certify_get_a_fresh_link_and_the_old_one_stops(client, world):
    case = reported(world)
    old_path, _ = mailed_link(world.sme.email)
    assert send_report_reminders(now=later()) == (0, 1)
    new_path, _ = mailed_link(world.sme.email)
    assert new_path != old_path
    assert "（再送）" in Outbox.objects.filter(template="report_submitted").latest("pk").subject
    assert client.get(old_path).status_code == 410 and client.get(new_path).status_code == 200
    assert CertificationLink.objects.filter(case=case, revoked_at=None).count() == 1
    assert send_report_reminders(now=later(11)) == (0, 0)


def test_a_disputed_report_does_not_remind_the_sme(world):
    case = reported(world)
    actions.dispute(world.sme, case.pk, "時間が違います")
    assert send_report_reminders(now=later()) == (0, 0)


def test_a_scheduled_visit_still_in_the_future_is_not_reminded(world):
    case = world.case_in("scheduled")
    assert send_report_reminders(now=timezone.now()) == (0, 0)
    visit_over(case, days_ago=0)
    assert DispatchCase.objects.get(pk=case.pk).reminded_at is None


def test_the_command_prints_what_it_queued(world, capsys):
    visited(world)
    call_command("remind_reports")
    assert "report reminders queued" in capsys.readouterr().out
