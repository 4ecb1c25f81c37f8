"""Governance dashboards at national scale: server time of the national, a region and a centre dashboard
against the same aggregates as raw SQL, in the same run (prints figures; not a test).

    .venv/bin/python bench/dashboard.py --database-url sqlite:///var/bench_gov.sqlite3
    .venv/bin/python bench/dashboard.py --database-url postgres://postgres:postgres@127.0.0.1:5432/yorozu_bench_gov

Migrates the database and, when it holds fewer consultations than --consultations, fills it with
`manage.py seed_scale` (organisations, companies, experts) and `manage.py seed_activity`
(consultations, dispatches with their timeline, plans, surveys…), which ends with a full refresh of
the monthly aggregates. Each page is the real view through RequestFactory (queries, charts, template).
Two raw-SQL references are measured: (1) the per-centre and per-month sums the national page reads
from the aggregate table, (2) the same figures computed from the records themselves (what a page
without the aggregate table would have to do). The refresh of the aggregates is timed too.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database  # noqa: E402  (after the path: run as a script)


def timed(fn, runs):
    wall = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        wall.append((time.perf_counter() - start) * 1000)
    wall.sort()
    return statistics.median(wall), wall[min(len(wall) - 1, int(round(0.95 * (len(wall) - 1))))]


AGGREGATE_SQL = [
    # what the national page reads: per centre and per month, one fiscal year
    """SELECT organisation_id, SUM(consultations), SUM(new_visitors), SUM(solved_consultations) + SUM(certified_dispatches),
              SUM(network_activities), SUM(surveys_sent), SUM(survey_responses), SUM(satisfaction_sum)
       FROM governance_activitymonth WHERE fiscal_year = %s GROUP BY organisation_id""",
    """SELECT month, SUM(consultations), SUM(in_person), SUM(new_visitors), SUM(solved_consultations), SUM(certified_dispatches),
              SUM(network_activities) FROM governance_activitymonth WHERE fiscal_year = %s GROUP BY month""",
]


def records_sql(vendor):
    month = "strftime('%%Y-%%m', c.held_on)" if vendor == "sqlite" else "date_trunc('month', c.held_on)"
    ev_month = "strftime('%%Y-%%m', e.first)" if vendor == "sqlite" else "date_trunc('month', e.first)"
    return [
        # consultations, in person and solved per centre and month
        f"""SELECT c.organisation_id, {month}, COUNT(*), SUM(CASE WHEN c.channel = 'in_person' THEN 1 ELSE 0 END),
                  SUM(CASE WHEN c.outcome = 'solved' THEN 1 ELSE 0 END)
           FROM consultations_consultation c JOIN directory_organisation o ON o.id = c.organisation_id
           WHERE o.kind = 'yorozu' AND c.held_on BETWEEN %s AND %s GROUP BY c.organisation_id, {month}""",
        # distinct visiting SMEs: first in-person visit per centre and company
        f"""SELECT v.organisation_id, COUNT(*) FROM (
              SELECT c.organisation_id, c.company_id, MIN(c.held_on) AS first FROM consultations_consultation c
              JOIN directory_organisation o ON o.id = c.organisation_id
              WHERE o.kind = 'yorozu' AND c.channel = 'in_person' AND c.held_on BETWEEN %s AND %s
              GROUP BY c.organisation_id, c.company_id) v GROUP BY v.organisation_id""",
        # dispatches certified (first certification) per centre and month
        f"""SELECT e.organisation_id, {ev_month}, COUNT(*) FROM (
              SELECT d.organisation_id, d.id, MIN(ev.created_at) AS first FROM dispatch_dispatchevent ev
              JOIN dispatch_dispatchcase d ON d.id = ev.case_id JOIN directory_organisation o ON o.id = d.organisation_id
              WHERE o.kind = 'yorozu' AND ev.to_state = 'certified' GROUP BY d.organisation_id, d.id) e
           WHERE e.first >= %s AND e.first < %s GROUP BY e.organisation_id, {ev_month}""",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.getenv("DATABASE_URL"))
    parser.add_argument("--consultations", type=int, default=1_000_000)
    parser.add_argument("--dispatches", type=int, default=150_000)
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--experts", type=int, default=20_000)
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--raw-runs", type=int, default=10)
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        ensure_database(args.database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yorozu.settings")
    os.environ.setdefault("YOROZU_ALLOW_INSECURE_KEY", "1")
    os.environ.setdefault("DEBUG", "False")

    import django

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_htmx.middleware import HtmxDetails

    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from consultations.models import Consultation
    from core.dates import fiscal_year, fiscal_year_range
    from directory.models import ExpertProfile, Organisation
    from dispatch.models import DispatchCase, DispatchEvent
    from governance import aggregates, views

    call_command("migrate", verbosity=0, skip_checks=True)
    if ExpertProfile.objects.count() < args.experts:
        print("seeding directory (seed_scale)…", flush=True)
        call_command("seed_scale", companies=args.companies, experts=args.experts, organisations=args.organisations,
                     seed=args.seed, skip_checks=True)
    have = Consultation.objects.count()
    if have < args.consultations:
        print(f"seeding activity: {have} consultations < {args.consultations}", flush=True)
        call_command("seed_activity", consultations=args.consultations - have,
                     dispatches=max(0, args.dispatches - DispatchCase.objects.count()), seed=args.seed + have, skip_checks=True)
    fy = fiscal_year(timezone.localdate())
    first, last = fiscal_year_range(fy)
    print(f"database: {connection.vendor}; {Consultation.objects.count():,} consultations, {DispatchCase.objects.count():,} dispatches, "
          f"{DispatchEvent.objects.count():,} dispatch events, "
          f"{Organisation.objects.filter(kind='yorozu').count()} centres; fiscal year {fy}")

    hq, created = User.objects.get_or_create(email="bench-hq@example.jp", defaults={"name": "計測 本部"})
    if created:
        RoleGrant.objects.create(user=hq, role=Role.HQ, status=RoleGrant.Status.APPROVED)
    tokyo = Organisation.objects.filter(kind="yorozu", prefecture_id="13").order_by("pk").first()
    factory = RequestFactory()

    def get(view, *view_args):
        request = factory.get("/", {"year": fy})
        hq.forget_roles()
        request.user = hq
        request.htmx = HtmxDetails(request)
        request.session = {}
        response = view(request, *view_args)
        assert response.status_code == 200, response.status_code
        return response

    def raw(statements, params):
        def run(_i):
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql, params)
                    cursor.fetchall()
        return run

    # refresh timings
    t0 = time.perf_counter()
    aggregates.refresh(full=True)
    full_refresh = time.perf_counter() - t0
    # What a periodic run costs when nothing changed: scanning the records for touched centre-years.
    t0 = time.perf_counter()
    aggregates.touched_buckets(timezone.now(), timezone.now())
    incremental_idle = time.perf_counter() - t0
    centre_refresh = timed(lambda i: aggregates.refresh_bucket(tokyo.pk, fy), 5)

    start_at = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end_at = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))
    cases = [
        ("national dashboard", lambda i: get(views.nation), args.runs),
        ("region dashboard (関東)", lambda i: get(views.region, "kanto"), args.runs),
        ("centre dashboard (東京都)", lambda i: get(views.centre, tokyo.pk), args.runs),
        ("raw SQL on the aggregate table", raw(AGGREGATE_SQL, [fy]), args.runs),
        ("raw SQL from the records", lambda i: [raw([s], p)(i) for s, p in zip(
            records_sql(connection.vendor), [[first, last], [first, last], [start_at, end_at]])], args.raw_runs),
    ]
    results = {}
    for label, fn, runs in cases:
        fn(0)  # warm caches and query plans
        results[label] = timed(fn, runs)
    queries = {}
    for label, view, view_args in [("national", views.nation, ()), ("centre", views.centre, (tokyo.pk,))]:
        with CaptureQueriesContext(connection) as ctx:
            get(view, *view_args)
        queries[label] = len(ctx.captured_queries)

    agg_p95 = results["raw SQL on the aggregate table"][1]
    rec_p95 = results["raw SQL from the records"][1]
    print(f"\n{'case':34} {'median ms':>10} {'p95 ms':>10} {'p95/raw agg':>12} {'p95/raw records':>16}")
    for label, (median, p95) in results.items():
        print(f"{label:34} {median:10.1f} {p95:10.1f} {p95 / agg_p95:12.1f} {p95 / rec_p95:16.2f}")
    print(f"\nqueries per page: national {queries['national']}, centre {queries['centre']} (constant in data size)")
    print(f"aggregate refresh: full {full_refresh:.1f} s; periodic scan for changes {incremental_idle * 1000:.0f} ms "
          f"+ per changed centre-year (東京都) median {centre_refresh[0]:.0f} ms")
    print(f"target: national p95 < 500 ms and within 3x raw SQL; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
