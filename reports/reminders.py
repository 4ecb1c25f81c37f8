"""Reminders after the visit, once per step, after the programme's business days:
the expert who has not filed the report, the SME members who have not certified."""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.dates import fiscal_year
from dispatch.actions import mark_reminded
from dispatch.models import DispatchCase, State
from dispatch.reminders import overdue_cutoff
from notifications.mail import queue_mail
from programme.services import programme_for_year

from . import actions
from .models import Dispute


def send_report_reminders(now=None):
    """Queue the overdue reminders; returns (experts reminded, cases whose SME members were reminded)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    cutoff = overdue_cutoff(programme_for_year(fiscal_year(today)).reminder_business_days, today)
    # A visit without check-out stays SCHEDULED: its planned end starts the clock.
    waiting_report = DispatchCase.objects.filter(reminded_at=None, support_report__isnull=True).filter(
        Q(state=State.DONE, step_started_at__lt=cutoff) | Q(state=State.SCHEDULED, ends_at__lt=cutoff)
    )
    experts = 0
    for case in waiting_report.select_related("company", "expert__user", "organisation").order_by("pk").iterator(chunk_size=500):
        # Claim first, so two runs at once never remind twice; the mail row is written in the same transaction.
        with transaction.atomic():
            if not mark_reminded(case.pk, now):
                continue
            queue_mail(case.expert.user.email, "report_reminder", {"case": case})
        experts += 1
    # A disputed report waits for the expert's correction, not for the SME.
    disputed = Dispute.objects.filter(case=OuterRef("pk"), resolved_at=None)
    waiting_certification = DispatchCase.objects.filter(
        state=State.REPORTED, reminded_at=None, step_started_at__lt=cutoff
    ).exclude(Exists(disputed))
    smes = 0
    for case_id in waiting_certification.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=500):
        with transaction.atomic():
            if not mark_reminded(case_id, now):
                continue
            actions.remind_certification(case_id)
        smes += 1
    return experts, smes
