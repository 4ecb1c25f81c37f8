"""Monthly activity per centre, computed from the records (consultations, dispatch timeline, network
activities, surveys) into ActivityMonth / FocusMonth, so dashboards read 12 rows per centre instead of
scanning a million consultations.

A (centre, fiscal year) bucket is always recomputed whole from the records, never incremented, so a
refresh is idempotent and repairs itself. Governance's own actions refresh their bucket at once;
`manage.py refresh_governance` (periodic) finds the buckets touched in the other apps since its last
run: consultations by `updated_at`, certifications by the DispatchEvent timeline.
"""

import datetime
from collections import Counter

from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from consultations.models import Consultation
from core.dates import fiscal_year, fiscal_year_range
from directory.models import Organisation
from dispatch.models import DispatchEvent, State

from .models import ActivityMonth, AggregateState, FocusArea, FocusMonth, NetworkActivity, Survey
from .years import months_of

CENTRE = Organisation.Kind.YOROZU
# Changes committed slightly after the previous run started are read again (a recompute is idempotent).
OVERLAP = datetime.timedelta(minutes=10)

COUNTERS = [
    "consultations", "in_person", "new_visitors", "solved_consultations", "certified_dispatches",
    "network_activities", "surveys_sent", "survey_responses", "satisfaction_sum", "satisfied",
]


def _month(day):
    return day.replace(day=1)


def certified_cases(organisation_id):
    """{case id: local date of its first certification} for the centre's dispatches (all years)."""
    rows = (
        DispatchEvent.objects.filter(to_state=State.CERTIFIED, case__organisation_id=organisation_id)
        .values("case_id").annotate(first=Min("created_at")).order_by()
    )
    return {r["case_id"]: timezone.localdate(r["first"]) for r in rows}


def compute_bucket(organisation_id, fy):
    """{month: {counter: value}} for one centre and fiscal year, straight from the records."""
    first, last = fiscal_year_range(fy)
    rows = {m: dict.fromkeys(COUNTERS, 0) for m in months_of(fy)}
    consultations = Consultation.objects.filter(organisation_id=organisation_id, held_on__range=(first, last))
    for r in (
        consultations.annotate(m=TruncMonth("held_on")).values("m").order_by()
        .annotate(n=Count("pk"), inp=Count("pk", filter=Q(channel=Consultation.Channel.IN_PERSON)),
                  solved=Count("pk", filter=Q(outcome=Consultation.Outcome.SOLVED)))
    ):
        row = rows[_month(r["m"])]
        row["consultations"], row["in_person"], row["solved_consultations"] = r["n"], r["inp"], r["solved"]
    # 来訪相談者数: distinct companies that came in person; each counts in the month of its first visit.
    firsts = (
        consultations.filter(channel=Consultation.Channel.IN_PERSON)
        .values("company_id").annotate(first=Min("held_on")).order_by().values_list("first", flat=True)
    )
    for month, n in Counter(_month(d) for d in firsts).items():
        rows[month]["new_visitors"] = n
    for day in certified_cases(organisation_id).values():
        if first <= day <= last:
            rows[_month(day)]["certified_dispatches"] += 1
    for r in (
        NetworkActivity.objects.filter(organisation_id=organisation_id, held_on__range=(first, last))
        .annotate(m=TruncMonth("held_on")).values("m").order_by().annotate(n=Count("pk"))
    ):
        rows[_month(r["m"])]["network_activities"] = r["n"]
    for r in (
        Survey.objects.filter(organisation_id=organisation_id, source_date__range=(first, last), sampled=True)
        .annotate(m=TruncMonth("source_date")).values("m").order_by()
        .annotate(sent=Count("pk", filter=Q(sent_at__isnull=False)), resp=Count("pk", filter=Q(responded_at__isnull=False)),
                  total=Sum("satisfaction"), happy=Count("pk", filter=Q(satisfaction__gte=4)))
    ):
        row = rows[_month(r["m"])]
        row["surveys_sent"], row["survey_responses"] = r["sent"], r["resp"]
        row["satisfaction_sum"], row["satisfied"] = r["total"] or 0, r["happy"]
    return rows


def compute_focus(organisation_id, fy):
    """{focus area id: {month: consultations}}: distinct consultations with a topic in the area."""
    first, last = fiscal_year_range(fy)
    areas = list(FocusArea.objects.filter(plan__organisation_id=organisation_id, plan__fiscal_year=fy).values_list("pk", flat=True))
    result = {pk: dict.fromkeys(months_of(fy), 0) for pk in areas}
    if not areas:
        return result
    rows = (
        Consultation.objects.filter(
            organisation_id=organisation_id, held_on__range=(first, last),
            topics__focus_areas__in=areas,
        )
        .annotate(m=TruncMonth("held_on")).values("topics__focus_areas", "m").order_by()
        .annotate(n=Count("pk", distinct=True))
    )
    for r in rows:
        result[r["topics__focus_areas"]][_month(r["m"])] = r["n"]
    return result


@transaction.atomic
def refresh_bucket(organisation_id, fy, now=None):
    now = now or timezone.now()
    rows = compute_bucket(organisation_id, fy)
    ActivityMonth.objects.bulk_create(
        [ActivityMonth(organisation_id=organisation_id, fiscal_year=fy, month=m, refreshed_at=now, **values)
         for m, values in rows.items()],
        update_conflicts=True, unique_fields=["organisation", "month"], update_fields=[*COUNTERS, "fiscal_year", "refreshed_at"],
    )
    focus = compute_focus(organisation_id, fy)
    if focus:
        FocusMonth.objects.bulk_create(
            [FocusMonth(focus_area_id=pk, month=m, consultations=n) for pk, months in focus.items() for m, n in months.items()],
            update_conflicts=True, unique_fields=["focus_area", "month"], update_fields=["consultations"],
        )


def refresh_buckets(buckets, now=None):
    for organisation_id, fy in sorted(buckets):
        refresh_bucket(organisation_id, fy, now=now)
    return len(buckets)


def touched_buckets(since=None, events_since=None):
    """(centre id, fiscal year) pairs whose consultations or certifications changed since the marks
    (everything when a mark is None)."""
    buckets = set()
    consultations = Consultation.objects.filter(organisation__kind=CENTRE)
    if since is not None:
        consultations = consultations.filter(updated_at__gte=since)
    for org_id, day in consultations.values_list("organisation_id", "held_on").order_by().distinct():
        buckets.add((org_id, fiscal_year(day)))
    events = DispatchEvent.objects.filter(to_state=State.CERTIFIED, case__organisation__kind=CENTRE)
    if events_since is not None:
        events = events.filter(created_at__gte=events_since)
    for org_id, at in events.values_list("case__organisation_id", "created_at").order_by():
        buckets.add((org_id, fiscal_year(timezone.localdate(at))))
    return buckets


def refresh(full=False, now=None):
    """The periodic refresh: every bucket touched since the last run (all of them with full=True).
    Each bucket is its own short transaction (SQLite has one writer: no minute-long lock); two runs
    at once only recompute the same figures. Returns the number of buckets recomputed."""
    now = now or timezone.now()
    state, _ = AggregateState.objects.get_or_create(pk=1)
    since = None if full or state.consultations_seen_until is None else state.consultations_seen_until - OVERLAP
    events_since = None if full or state.events_seen_until is None else state.events_seen_until - OVERLAP
    buckets = touched_buckets(since, events_since)
    current = fiscal_year(timezone.localdate(now))
    if full or state.refreshed_at is None or fiscal_year(timezone.localdate(state.refreshed_at)) != current:
        # Every centre has this year's rows, even before its first consultation.
        buckets |= {(pk, current) for pk in Organisation.objects.filter(kind=CENTRE).values_list("pk", flat=True)}
    count = refresh_buckets(buckets, now=now)
    AggregateState.objects.filter(pk=1).update(consultations_seen_until=now, events_seen_until=now, refreshed_at=now)
    return count


def last_refreshed():
    """When the figures shown were computed (the latest bucket refresh; a small table)."""
    from django.db.models import Max

    return ActivityMonth.objects.aggregate(at=Max("refreshed_at"))["at"]
