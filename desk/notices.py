"""Periodic mail of the desk: reminders the day before, and the weekly shift-gap report.

Both claim their work atomically (an UPDATE … WHERE reminded_at IS NULL, a unique row per desk
and week) so that two runs at once never send twice; the mail row is written in the same
transaction as the claim.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications.mail import queue_mail

from . import actions
from .access import admin_emails
from .models import Booking, Desk, GapNotice
from .rules import at, monday_of, week


def send_reminders(now=None):
    """Remind both sides of every booking that starts tomorrow. A booking made today for tomorrow
    has just had its confirmation, so it is not reminded again. Returns how many were reminded."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    tomorrow = today + datetime.timedelta(days=1)
    due = (
        Booking.objects.filter(
            kind=Booking.Kind.BOOKED, status=Booking.Status.BOOKED, reminded_at=None,
            starts_at__gte=at(tomorrow, datetime.time.min),
            starts_at__lt=at(tomorrow + datetime.timedelta(days=1), datetime.time.min),
            created_at__lt=at(today, datetime.time.min),
        )
        .select_related("desk", "desk__organisation", "company", "consultant", "booked_by", "theme")
        .order_by("starts_at", "pk")
    )
    sent = 0
    for booking in due:
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, reminded_at=None, status=Booking.Status.BOOKED).update(
                reminded_at=now)
            if not claimed:
                continue
            actions._notify_reminder(booking)
        sent += 1
    return sent


def gaps_of(desk, monday):
    """(day, slot) of every slot below the desk's minimum in the week from `monday`."""
    return [(day, slot) for day in week(desk, monday) for slot in day.slots if slot.shortfall]


def send_gap_mails(today=None):
    """Mail each active desk's administrators the coming week's slots below the minimum, once per
    desk and week. Returns the number of mails queued."""
    today = today or timezone.localdate()
    monday = monday_of(today) + datetime.timedelta(days=7)
    sent = 0
    for desk in Desk.objects.filter(is_active=True).select_related("organisation").order_by("pk"):
        gaps = gaps_of(desk, monday)
        try:
            with transaction.atomic():
                GapNotice.objects.create(desk=desk, week_start=monday, gaps=len(gaps))
                to = admin_emails(desk)
                if gaps and to:
                    queue_mail(to, "desk_gaps", {
                        "desk": desk, "monday": monday, "sunday": monday + datetime.timedelta(days=6),
                        "gaps": gaps, "roster_url": settings.SITE_URL + reverse("desk:roster", args=[desk.pk])
                        + f"?week={monday.isoformat()}",
                    })
                    sent += 1
        except IntegrityError:  # already reported for this week (another run)
            continue
    return sent
