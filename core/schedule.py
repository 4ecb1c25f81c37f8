"""Periodic jobs: which management command runs how often, and running the due ones.

`manage.py run_schedule` loops over JOBS (started by `make run` next to the worker; in production
one per server or a cron line calling `run_schedule --once`). Each job is an ordinary management
command, so an operator can also run it by hand.
"""

import datetime
import io
import logging
import traceback
from dataclasses import dataclass, field

from django.core.management import call_command, get_commands
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import ScheduledJob

log = logging.getLogger("yorozu.schedule")


@dataclass(frozen=True)
class Job:
    command: str
    every: datetime.timedelta
    args: tuple = field(default_factory=tuple)

    @property
    def name(self):
        return " ".join((self.command, *self.args))


MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)

JOBS = [
    Job("send_outbox", 5 * MINUTE),  # retries mail whose worker task was lost
    Job("escalate_requests", 15 * MINUTE),  # intake: unanswered requests go to the chief, then the bureau
    Job("send_reminders", HOUR),  # dispatch: whoever holds a case up
    Job("refresh_org_stats", DAY),  # intake: the directory's responsiveness figures, in full
    Job("warn_deadlines", DAY),  # visits: every party warned before a case falls outside the programme
    Job("remind_reports", HOUR),  # reports: the expert's report, the SME's certification
    Job("send_desk_reminders", HOUR),  # desk: the day-before reminder (sent once per booking)
    Job("send_desk_gaps", DAY),  # desk: next week's coverage gaps (sent once per desk and week)
    Job("refresh_governance", 15 * MINUTE),  # governance: monthly actuals from what changed
    Job("send_surveys", HOUR),  # governance: sampled satisfaction surveys (each source considered once)
    Job("send_followups", DAY),  # governance: 3/6/12-month outcome follow-ups
    Job("scan_payment_anomalies", DAY),  # payments: checks of newly verified cases before the next batch
    Job("resume_payments", 5 * MINUTE),  # payments: a batch whose paying run was lost carries on
]


def available_jobs():
    """Jobs whose command exists (an app may be absent in a trimmed deployment)."""
    commands = get_commands()
    return [job for job in JOBS if job.command in commands]


def _claim(job, now):
    """True when this process may run the job now (it was due and nobody else took it)."""
    try:
        with transaction.atomic():
            ScheduledJob.objects.get_or_create(name=job.name)
    except IntegrityError:  # another process created it at the same moment
        pass
    due = Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.every)
    return ScheduledJob.objects.filter(due, name=job.name).update(last_started_at=now) == 1


def run_job(job, now=None):
    out = io.StringIO()
    ok = True
    try:
        call_command(job.command, *job.args, stdout=out, stderr=out)
    except Exception:  # one failing job must not stop the others; the error is kept and logged
        ok = False
        out.write(traceback.format_exc())
        log.exception("periodic job %s failed", job.name)
    ScheduledJob.objects.filter(name=job.name).update(
        last_finished_at=timezone.now(), last_ok=ok, last_output=out.getvalue()[-4000:]
    )
    return ok


def run_due(now=None, jobs=None):
    """Run every job that is due; returns {job name: ok} for those that ran."""
    now = now or timezone.now()
    ran = {}
    for job in jobs if jobs is not None else available_jobs():
        if _claim(job, now):
            ran[job.name] = run_job(job, now)
    return ran
