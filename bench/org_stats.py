"""Organisation responsiveness at national scale: refresh time and the search page (prints figures; not a test).

    .venv/bin/python bench/org_stats.py --database-url sqlite:///var/bench_orgs.sqlite3
    .venv/bin/python bench/org_stats.py --database-url postgres://postgres:postgres@127.0.0.1:5432/yorozu_bench_orgs

Fills the database (when it has fewer) with --orgs organisations and --requests expert requests
spread over the last 120 days, then times `refresh_org_stats()` (what `manage.py refresh_org_stats`
runs nightly), one organisation's refresh (what each first response runs) and the public search
page through its real view, with the number of queries each issues.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database  # noqa: E402  (after the path: run as a script)


def timed(fn, runs):
    wall = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
    return statistics.median(wall), max(wall)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.getenv("DATABASE_URL", "sqlite:///var/bench_orgs.sqlite3"))
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=50_000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    ensure_database(args.database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yorozu.settings")
    os.environ.setdefault("YOROZU_ALLOW_INSECURE_KEY", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from directory import org_views
    from directory.models import ExpertProfile, Organisation
    from intake.models import ExpertRequest
    from intake.rules import answer_deadline
    from intake.stats import refresh_org_stats
    from tests import factories

    call_command("migrate", verbosity=0, skip_checks=True)
    rng = random.Random(7)
    prefs = [f"{i:02d}" for i in range(1, 48)]
    kinds = [k for k, _ in Organisation.Kind.choices]
    have = Organisation.objects.count()
    Organisation.objects.bulk_create(
        Organisation(name=f"ベンチ支援機関{i}", kind=rng.choice(kinds), prefecture_id=rng.choice(prefs),
                     municipality="中央区", channel_web=i % 3 == 0)
        for i in range(have, args.orgs)
    )
    have = ExpertRequest.objects.count()
    if have < args.requests:
        company, user = factories.company_with_member()
        expert = ExpertProfile.objects.filter(status="approved").first() or factories.ExpertFactory()
        org_ids = list(Organisation.objects.values_list("pk", flat=True))
        now = timezone.now()
        rows = []
        for _ in range(args.requests - have):
            submitted = now - datetime.timedelta(minutes=rng.randint(0, 120 * 24 * 60))
            answered = submitted + datetime.timedelta(minutes=rng.randint(10, 5 * 24 * 60)) if rng.random() < 0.85 else None
            rows.append(ExpertRequest(
                company=company, requested_by=user, expert=expert, organisation_id=rng.choice(org_ids),
                problem="ベンチ", submitted_at=submitted, deadline_at=answer_deadline(submitted, 2),
                first_response_at=answered, state="declined" if answered else "submitted",
                decline_reason="ベンチ" if answered else "",
            ))
        ExpertRequest.objects.bulk_create(rows, batch_size=2000)

    print(f"database: {connection.vendor}, organisations: {Organisation.objects.count()}, "
          f"requests: {ExpertRequest.objects.count()}")
    with CaptureQueriesContext(connection) as ctx:
        refresh_org_stats()
    print(f"refresh_org_stats (all): {len(ctx.captured_queries)} queries")
    median, worst = timed(refresh_org_stats, 3)
    print(f"refresh_org_stats (all): median {median:.0f} ms, max {worst:.0f} ms")
    one = Organisation.objects.order_by("pk").first().pk
    median, worst = timed(lambda: refresh_org_stats([one]), 20)
    print(f"refresh_org_stats (one organisation, on each first response): median {median:.1f} ms, max {worst:.1f} ms")
    factory = RequestFactory()
    for label, params in [("all", {}), ("prefecture 13", {"prefecture": "13"}), ("web, page 5", {"channel": "web", "page": "5"})]:
        request = factory.get("/organisations/", params)
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        with CaptureQueriesContext(connection) as ctx:
            org_views.org_list(request)
        median, worst = timed(lambda: org_views.org_list(request), 20)
        print(f"search page ({label}): {len(ctx.captured_queries)} queries, median {median:.1f} ms, max {worst:.1f} ms")


if __name__ == "__main__":
    main()
