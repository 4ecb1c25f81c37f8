"""Periodic jobs run when due, once per interval, and one failure does not stop the others."""

import datetime

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone

from core.models import ScheduledJob
from core.schedule import JOBS, Job, run_due
from dispatch.models import DispatchCase, State
from notifications.models import Outbox
from tests.dispatch.builders import World

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 9, 0))
EVERY_HOUR = Job("send_outbox", datetime.timedelta(hours=1))


def test_every_scheduled_job_is_a_real_command():
    commands = get_commands()
    assert [job.command for job in JOBS if job.command not in commands] == []


def test_a_job_runs_when_due_and_not_again_within_its_interval():
    assert run_due(now=NOW, jobs=[EVERY_HOUR]) == {"send_outbox": True}
    assert run_due(now=NOW + datetime.timedelta(minutes=59), jobs=[EVERY_HOUR]) == {}
    assert run_due(now=NOW + datetime.timedelta(minutes=60), jobs=[EVERY_HOUR]) == {"send_outbox": True}
    row = ScheduledJob.objects.get(name="send_outbox")
    assert row.last_ok is True and row.last_finished_at is not None


def test_a_failing_job_is_recorded_and_the_others_still_run():
    broken = Job("escalate_requests", datetime.timedelta(hours=1), args=("--no-such-option",))
    ran = run_due(now=NOW, jobs=[broken, EVERY_HOUR])
    assert ran == {"escalate_requests --no-such-option": False, "send_outbox": True}
    failed = ScheduledJob.objects.get(name="escalate_requests --no-such-option")
    assert failed.last_ok is False
    assert "no-such-option" in failed.last_output


def test_run_schedule_once_sends_the_reminder_of_a_case_held_up(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    # given a case waiting for the expert for two weeks
    case = world.case_in(State.APPROVED)
    DispatchCase.objects.filter(pk=case.pk).update(step_started_at=timezone.now() - datetime.timedelta(days=14))
    # when the scheduler runs once
    call_command("run_schedule", "--once", stdout=open("/dev/null", "w"))
    # then the expert's reminder is in the outbox, and the job is recorded
    assert Outbox.objects.filter(template="dispatch_reminder", to=[world.expert.user.email]).exists()
    assert ScheduledJob.objects.get(name="send_reminders").last_ok is True
