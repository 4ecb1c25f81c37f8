"""Reminders to whoever holds a case up, once per step, after N business days (programme setting)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consultations.actions import organisation_emails
from core.dates import fiscal_year, is_business_day
from notifications.mail import queue_mail
from programme.services import programme_for_year

from . import actions
from .models import REMINDED_STATES, DispatchCase, State


def overdue_cutoff(n, today=None):
    """Cases whose step started before this moment have waited at least `n` business days."""
    day = today or timezone.localdate()
    counted = 0
    while counted < n:
        if is_business_day(day):
            counted += 1
        day -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def recipients(case):
    if case.state == State.APPLIED:
        return [settings.SECRETARIAT_EMAIL]
    if case.state == State.APPROVED:
        return [case.expert.user.email]
    return organisation_emails(case.organisation)


def send_reminders(now=None):
    """Queue one reminder per overdue step; returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    cutoff = overdue_cutoff(programme_for_year(fiscal_year(today)).reminder_business_days, today)
    due = (
        DispatchCase.objects.filter(state__in=REMINDED_STATES, reminded_at=None, step_started_at__lt=cutoff)
        .select_related("organisation", "company", "expert", "expert__user")
        .order_by("step_started_at")
    )
    sent = 0
    for case in due.iterator(chunk_size=500):
        to = recipients(case)
        # Claim first, so two runs at once never remind twice; the mail row is written in the same transaction.
        with transaction.atomic():
            if not to or not actions.mark_reminded(case.pk, now):
                continue
            queue_mail(to, "dispatch_reminder", {"case": case, "waiting_since": case.step_started_at})
        sent += 1
    return sent
