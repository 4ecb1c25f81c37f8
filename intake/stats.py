"""Measured responsiveness of support organisations (SPEC §4.2, §5 item 2).

The directory reads one `OrganisationStats` row per organisation; nothing is aggregated while a
page renders. The row is written here only:

* `refresh_org_stats()` recomputes every organisation (`manage.py refresh_org_stats`, run nightly);
* `refresh_org_stats([org_id])` runs inside each first response (accept/decline), so the figure is current;
* `record_dispatch_applied(org, when)` is for the dispatch app to call when a dispatch is applied.

Definitions, over requests submitted in the last STATS_WINDOW_DAYS days:
* measured: answered requests plus unanswered ones whose deadline has passed (open requests still
  within their deadline, and requests withdrawn before any answer, are not judged yet / at all);
* median time to first response: median of (first answer − submission) over the answered ones;
* share answered within 2 business days: answered by the deadline / measured.
"""

import datetime
import statistics
from collections import defaultdict

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from core.dates import fiscal_year, fiscal_year_range
from directory.models import Organisation

from . import rules
from .models import ExpertRequest, OrganisationStats

STAT_FIELDS = [
    "window_days", "requests_measured", "responded", "median_response_seconds", "answered_in_time",
    "share_in_time", "dispatch_fiscal_year", "dispatches_applied", "computed_at",
]


def measure(rows, now):
    """Figures for one organisation from (submitted_at, deadline_at, first_response_at) tuples."""
    durations, in_time, measured = [], 0, 0
    for submitted_at, deadline_at, first_response_at in rows:
        if first_response_at is None and deadline_at >= now:
            continue  # still within its clock: not judged yet
        measured += 1
        if first_response_at is not None:
            durations.append((first_response_at - submitted_at).total_seconds())
            if first_response_at <= deadline_at:
                in_time += 1
    return {
        "requests_measured": measured,
        "responded": len(durations),
        "median_response_seconds": round(statistics.median(durations)) if durations else None,
        "answered_in_time": in_time,
        "share_in_time": in_time / measured if measured else None,
    }


def _dispatch_counts(org_ids, fy):
    """Dispatch cases applied in fiscal year `fy` per organisation, counted from the dispatch timeline.

    A case returned by the secretariat and applied again counts once. Returns None when the dispatch
    app is not installed (counts then come from record_dispatch_applied alone).
    """
    try:
        event = apps.get_model("dispatch", "DispatchEvent")
        for name in ("case", "to_state", "created_at"):
            event._meta.get_field(name)
        event._meta.get_field("case").related_model._meta.get_field("organisation")
    except (LookupError, FieldDoesNotExist):
        return None
    start, end = fiscal_year_range(fy)
    tz = timezone.get_current_timezone()
    qs = event.objects.filter(
        to_state="applied",
        created_at__gte=datetime.datetime.combine(start, datetime.time.min, tz),
        created_at__lt=datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tz),
    )
    if org_ids is not None:
        qs = qs.filter(case__organisation_id__in=org_ids)
    rows = qs.values("case__organisation_id").annotate(n=Count("case_id", distinct=True))
    return {row["case__organisation_id"]: row["n"] for row in rows}


@transaction.atomic
def refresh_org_stats(organisation_ids=None, now=None):
    """Recompute the stats rows (all organisations, or the given ids). A fixed number of queries.

    Returns the number of rows written.
    """
    now = now or timezone.now()
    fy = fiscal_year(timezone.localdate(now))
    since = now - datetime.timedelta(days=rules.STATS_WINDOW_DAYS)
    orgs = Organisation.objects.all()
    requests = ExpertRequest.objects.filter(submitted_at__gte=since, submitted_at__lte=now).exclude(
        state=ExpertRequest.State.WITHDRAWN, first_response_at=None
    )
    existing = OrganisationStats.objects.select_for_update()
    if organisation_ids is not None:
        orgs = orgs.filter(pk__in=organisation_ids)
        requests = requests.filter(organisation_id__in=organisation_ids)
        existing = existing.filter(organisation_id__in=organisation_ids)
    rows = defaultdict(list)
    for org_id, *values in requests.values_list("organisation_id", "submitted_at", "deadline_at", "first_response_at"):
        rows[org_id].append(values)
    stats_by_org = {s.organisation_id: s for s in existing}
    dispatches = _dispatch_counts(organisation_ids, fy)
    to_create, to_update = [], []
    for org_id in orgs.values_list("pk", flat=True):
        stats = stats_by_org.get(org_id)
        if stats is None:
            stats = OrganisationStats(organisation_id=org_id)
            to_create.append(stats)
        else:
            to_update.append(stats)
        for name, value in measure(rows.get(org_id, ()), now).items():
            setattr(stats, name, value)
        if dispatches is not None:
            stats.dispatches_applied = dispatches.get(org_id, 0)
        elif stats.dispatch_fiscal_year != fy:
            stats.dispatches_applied = 0  # a new fiscal year starts from zero
        stats.dispatch_fiscal_year = fy
        stats.window_days = rules.STATS_WINDOW_DAYS
        stats.computed_at = now
    OrganisationStats.objects.bulk_create(to_create, batch_size=500)
    _update_rows(to_update)
    return len(to_create) + len(to_update)


def _update_rows(rows):
    """One parameterised UPDATE run for every row: bulk_update's CASE WHEN takes seconds at 1,000 rows."""
    if not rows:
        return
    meta = OrganisationStats._meta
    fields = [meta.get_field(name) for name in STAT_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    params = [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] + [row.pk] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@transaction.atomic
def record_dispatch_applied(organisation, when=None):
    """Update `organisation`'s dispatches applied this fiscal year (the dispatch app's apply action calls it).

    Recounted from the dispatch timeline when the dispatch app is installed, else counted one up.
    Applications dated outside the current fiscal year are not counted ("this fiscal year").
    """
    when = when or timezone.now()
    fy = fiscal_year(timezone.localdate())
    if fiscal_year(timezone.localdate(when)) != fy:
        return None
    OrganisationStats.objects.get_or_create(organisation_id=organisation.pk)
    stats = OrganisationStats.objects.select_for_update().get(organisation_id=organisation.pk)
    counts = _dispatch_counts([organisation.pk], fy)
    if counts is not None:  # exact: the case's "applied" event is already written in this transaction
        stats.dispatch_fiscal_year, stats.dispatches_applied = fy, counts.get(organisation.pk, 0)
    else:
        if stats.dispatch_fiscal_year != fy:
            stats.dispatch_fiscal_year, stats.dispatches_applied = fy, 0
        stats.dispatches_applied += 1
    stats.save(update_fields=["dispatch_fiscal_year", "dispatches_applied"])
    return stats
