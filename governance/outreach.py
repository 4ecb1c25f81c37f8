"""Mail to SMEs after the fact: satisfaction surveys (sampled) and 3/6/12-month outcome follow-ups.

Both run as periodic commands (`send_surveys`, `send_followups`). A unique row per source record
(and milestone) is written in the same transaction as the queued mail, so a re-run, or two runs at
once, never mail anyone twice.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from companies.models import Membership
from consultations.models import Consultation
from core.dates import fiscal_year
from dispatch.models import DispatchEvent, State
from notifications.mail import queue_mail

from . import aggregates, sampling
from .access import CENTRE
from .models import FOLLOWUP_MONTHS, FollowUp, SourceKind, Survey, hash_token, new_token
from .years import add_months, governance_year_for

# A consultation ends with one of these outcomes; "continue" means more consultations follow.
CLOSED_OUTCOMES = [Consultation.Outcome.SOLVED, Consultation.Outcome.REFERRED, Consultation.Outcome.DISPATCH]


def _company_emails(company_ids):
    emails = {}
    for company_id, email in Membership.objects.filter(company_id__in=company_ids, user__is_active=True).values_list(
        "company_id", "user__email").order_by("pk"):
        emails.setdefault(company_id, []).append(email)
    return emails


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def certified_between(first, last):
    """[(case id, centre id, company id, date of first certification in the range)] of centres' dispatches."""
    rows = (
        DispatchEvent.objects.filter(
            to_state=State.CERTIFIED, case__organisation__kind=CENTRE,
            created_at__gte=_day_start(first), created_at__lt=_day_start(last + datetime.timedelta(days=1)),
        )
        .values("case_id", "case__organisation_id", "case__company_id").order_by()
        .annotate(first=Min("created_at"))
    )
    return [(r["case_id"], r["case__organisation_id"], r["case__company_id"], timezone.localdate(r["first"])) for r in rows]


def survey_candidates(today):
    """Closed consultations and certified dispatches within the window, not considered before."""
    window = governance_year_for(fiscal_year(today)).survey_window_days
    start = today - datetime.timedelta(days=window)
    seen = Survey.objects.filter(source_kind=SourceKind.CONSULTATION)
    consultations = (
        Consultation.objects.filter(organisation__kind=CENTRE, outcome__in=CLOSED_OUTCOMES, held_on__range=(start, today))
        .exclude(pk__in=seen.filter(source_date__gte=start).values("source_id"))
        .values_list("pk", "organisation_id", "company_id", "held_on").order_by("pk")
    )
    candidates = [(SourceKind.CONSULTATION, *row) for row in consultations]
    certified = certified_between(start, today)
    done = set(Survey.objects.filter(source_kind=SourceKind.DISPATCH, source_id__in=[c[0] for c in certified])
               .values_list("source_id", flat=True))
    candidates += [(SourceKind.DISPATCH, *row) for row in certified if row[0] not in done]
    return candidates


def send_surveys(now=None):
    """Consider every new candidate once; mail the sampled ones. Returns (considered, mailed)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = survey_candidates(today)
    emails = _company_emails({c[3] for c in candidates})
    years, mailed, buckets = {}, 0, set()
    skipped = []
    for kind, source_id, organisation_id, company_id, day in candidates:
        fy = fiscal_year(day)
        year = years.setdefault(fy, governance_year_for(fy))
        row = Survey(source_kind=kind, source_id=source_id, organisation_id=organisation_id, company_id=company_id,
                     fiscal_year=fy, source_date=day)
        buckets.add((organisation_id, fy))
        if not sampling.in_sample(year.sampling_seed, kind, source_id, year.survey_sample_percent):
            skipped.append(row)
            continue
        row.sampled = True
        if _create_and_mail(row, emails.get(company_id), year.link_valid_days, now, "governance_survey", "survey"):
            mailed += 1
    Survey.objects.bulk_create(skipped, ignore_conflicts=True, batch_size=2000)
    aggregates.refresh_buckets(buckets, now=now)
    return len(candidates), mailed


def _create_and_mail(row, recipients, valid_days, now, template, url_name):
    """Write the row and queue its mail together; False when another run already wrote it."""
    token = new_token() if recipients else None
    if token:
        row.token_hash = hash_token(token)
        row.sent_at = now
        row.expires_at = now + datetime.timedelta(days=valid_days)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
            if token:
                queue_mail(recipients, template, {
                    "row": row, "organisation": row.organisation, "company": row.company,
                    "link": reverse(f"governance:{url_name}", args=[token]),
                })
    except IntegrityError:
        return False
    return bool(token)


def follow_up_candidates(today, months, grace_days):
    """Solved consultations and certified dispatches whose `months` milestone fell due in the grace window."""
    base_last = add_months(today, -months)
    base_first = add_months(today - datetime.timedelta(days=grace_days), -months)
    seen = FollowUp.objects.filter(months=months)
    consultations = (
        Consultation.objects.filter(organisation__kind=CENTRE, outcome=Consultation.Outcome.SOLVED,
                                    held_on__range=(base_first, base_last))
        .exclude(pk__in=seen.filter(source_kind=SourceKind.CONSULTATION, base_date__gte=base_first).values("source_id"))
        .values_list("pk", "organisation_id", "company_id", "held_on").order_by("pk")
    )
    candidates = [(SourceKind.CONSULTATION, *row) for row in consultations]
    certified = certified_between(base_first, base_last)
    done = set(seen.filter(source_kind=SourceKind.DISPATCH, source_id__in=[c[0] for c in certified])
               .values_list("source_id", flat=True))
    return candidates + [(SourceKind.DISPATCH, *row) for row in certified if row[0] not in done]


def send_follow_ups(now=None):
    """Mail every follow-up that fell due. Returns the number mailed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    year = governance_year_for(fiscal_year(today))
    mailed = 0
    for months in FOLLOWUP_MONTHS:
        candidates = follow_up_candidates(today, months, year.followup_grace_days)
        emails = _company_emails({c[3] for c in candidates})
        for kind, source_id, organisation_id, company_id, day in candidates:
            recipients = emails.get(company_id)
            if not recipients:
                continue  # nobody to ask; the next run tries again while the milestone is in the window
            row = FollowUp(source_kind=kind, source_id=source_id, months=months, organisation_id=organisation_id,
                           company_id=company_id, base_date=day, fiscal_year=fiscal_year(day))
            if _create_and_mail(row, recipients, year.link_valid_days, now, "governance_followup", "follow_up"):
                mailed += 1
    return mailed
