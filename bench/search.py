"""Expert search and recommendation: server time at national scale (prints figures; not a test).

    .venv/bin/python bench/search.py --database-url sqlite:///var/bench.sqlite3
    .venv/bin/python bench/search.py --database-url postgres://postgres:postgres@127.0.0.1:5432/yorozu_bench

Creates and migrates the database and, when it holds fewer experts than --experts, fills it with
`manage.py seed_scale`. Each case calls the real view function through RequestFactory
(form, query, template rendering), so the figures are server time without the network.
The raw full-text query (index only, same words) is measured in the same run as the floor.
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

FREE_TEXT = ["集客", "ホームページ制作", "HP", "資金繰り 補助金", "事業承継", "SNS 飲食店", "輸出", "就業規則",
             "ｳｪﾌﾞ 販路", "商標", "経営計画", "品質管理 原価管理"]
PROBLEMS = [
    "飲食店の集客に悩んでいます。SNSとホームページを活用して新しいお客様を増やしたい。",
    "資金繰りが厳しく、融資と補助金の活用について相談したい。",
    "後継者がおらず、事業承継の進め方がわからない。",
    "製造現場の品質管理と原価管理を見直して生産性を上げたい。",
    "海外への輸出を始めたいが、貿易の手続きがわからない。",
    "人材の採用が難しく、就業規則や人事評価も整えたい。",
]


def timed(cases, runs):
    """{label: (wall-clock ms, this process's CPU ms)} per call. The cases take turns call by call, so a
    burst of load on a shared machine falls on all of them alike, the reference included."""
    measured = {label: ([], []) for label, _fn in cases}
    for i in range(runs):
        for label, fn in cases:
            start, start_cpu = time.perf_counter(), time.process_time()
            fn(i)
            measured[label][0].append((time.perf_counter() - start) * 1000)
            measured[label][1].append((time.process_time() - start_cpu) * 1000)
    return measured


def summary(measured):
    wall, cpu = sorted(measured[0]), sorted(measured[1])
    p95 = wall[min(len(wall) - 1, int(round(0.95 * (len(wall) - 1))))]
    return statistics.median(wall), p95, statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.getenv("DATABASE_URL"))
    parser.add_argument("--experts", type=int, default=20000)
    parser.add_argument("--companies", type=int, default=100000)
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        ensure_database(args.database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yorozu.settings")
    os.environ.setdefault("YOROZU_ALLOW_INSECURE_KEY", "1")
    os.environ.setdefault("DEBUG", "False")

    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory
    from django_htmx.middleware import HtmxDetails

    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from directory import public_views, search, text
    from directory.models import ExpertProfile, Organisation
    from reference.models import Industry, Prefecture, Specialty

    call_command("migrate", verbosity=0, skip_checks=True)  # every app: a partial schema broke seed_scale
    have = ExpertProfile.objects.count()
    if have < args.experts:
        print(f"seeding: {have} experts < {args.experts}")
        call_command("seed_scale", companies=args.companies, experts=args.experts - have,
                     organisations=args.organisations, seed=args.seed, skip_checks=True)
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load (it is off on some servers): visibility map for
        # index-only scans, GIN pending list merged, fresh statistics.
        with connection.cursor() as cursor:
            for table in ["directory_expertprofile", "directory_expertprofile_areas", "directory_expertprofile_specialties",
                          "directory_expertprofile_industries", "directory_expertqualification",
                          "directory_expertsearchdoc", "directory_expertstats"]:
                cursor.execute(f"VACUUM ANALYZE {table}")
    public = ExpertProfile.objects.filter(status="approved").count()
    print(f"database: {connection.vendor}, {ExpertProfile.objects.count()} experts ({public} public)")

    factory = RequestFactory()
    coordinator, created = User.objects.get_or_create(email="bench-coordinator@example.jp", defaults={"name": "推薦計測"})
    if created:
        RoleGrant.objects.create(user=coordinator, role=Role.COORDINATOR, organisation=Organisation.objects.first(),
                                 status=RoleGrant.Status.APPROVED)

    def get(view, user, params):
        request = factory.get("/", params)
        request.user = user
        request.htmx = HtmxDetails(request)
        request.session = {}
        response = view(request)
        assert response.status_code == 200, response.status_code
        return response

    tokyo, osaka = Prefecture.objects.get(code="13"), Prefecture.objects.get(code="27")
    specialties = list(Specialty.objects.order_by("pk"))
    industries = list(Industry.objects.filter(parent=None).order_by("sort_key"))
    prefectures = list(Prefecture.objects.order_by("code"))
    anonymous = AnonymousUser()

    def fresh_user():
        coordinator.forget_roles()
        return coordinator

    cases = [
        ("(a) free text", lambda i: get(public_views.expert_search, anonymous, {"q": FREE_TEXT[i % len(FREE_TEXT)]})),
        ("(b) text + area + specialty", lambda i: get(public_views.expert_search, anonymous, {
            "q": FREE_TEXT[i % len(FREE_TEXT)], "prefecture": prefectures[i % 47].pk,
            "specialty": specialties[i % len(specialties)].pk})),
        ("(c) filters only", lambda i: get(public_views.expert_search, anonymous, {
            "prefecture": prefectures[i % 47].pk, "specialty": specialties[i % len(specialties)].pk,
            "industry": industries[i % len(industries)].pk})),
        ("(c') filters, sort by rating", lambda i: get(public_views.expert_search, anonymous, {
            "prefecture": prefectures[i % 47].pk, "sort": "rating"})),
        ("(d) no criteria (first visit)", lambda i: get(public_views.expert_search, anonymous, {})),
        ("recommendation", lambda i: get(public_views.recommend, fresh_user(), {
            "text": PROBLEMS[i % len(PROBLEMS)], "prefecture": (tokyo, osaka)[i % 2].pk,
            "industry": industries[i % len(industries)].pk})),
        ("raw FTS query (reference)", lambda i: search.raw_fts_ids(text.query_terms(FREE_TEXT[i % len(FREE_TEXT)]))),
    ]
    load_before = os.getloadavg()[0]
    timed(cases, 10)  # warm caches (Sudachi dictionary, query plans)
    results = {label: summary(measured) for label, measured in timed(cases, args.runs).items()}
    raw_p95 = results["raw FTS query (reference)"][1]
    print(f"\n{'case':32} {'median ms':>10} {'p95 ms':>10} {'CPU median':>11} {'p95 / raw FTS p95':>18}")
    for label, (median, p95, cpu) in results.items():
        print(f"{label:32} {median:10.1f} {p95:10.1f} {cpu:11.1f} {p95 / raw_p95:18.1f}")
    print(f"\nruns per case: {args.runs}; targets: search p95 < 50 ms, recommendation p95 < 150 ms; "
          f"load average before/after: {load_before:.1f}/{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
