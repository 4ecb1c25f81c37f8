"""Payment run at scale: check, build a batch, write the 全銀 file and pay N verified cases (prints figures; not a test).

    .venv/bin/python bench/payments.py --database-url sqlite:///var/bench-payments.sqlite3
    .venv/bin/python bench/payments.py --database-url postgres://postgres:postgres@127.0.0.1:5432/yorozu_bench_payments

Migrates the database and fills it, when needed, with synthetic verified cases (with support
reports and experts' bank accounts) visited in the 60 days before today; cases left in a batch by a
previous run are put back to 'verified' first. Each phase calls the real functions the pages call
(payments.anomalies.scan, actions.create_batch, actions.export_batch + write_atomically,
actions.start_paying and the task payments.tasks.pay_batch) and prints wall time, CPU time and the peak of Python allocations
(tracemalloc, which slows Python down: --no-tracemalloc for plain timings); the process's maximum
resident set size is printed at the end.
"""

import argparse
import datetime
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database  # noqa: E402  (after the path: run as a script)

BENCH_ORG = "計測用よろず支援拠点"
SURNAMES = [("山田", "ヤマダ"), ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
            ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ")]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("由美", "ユミ"), ("翔太", "シヨウタ"),
         ("美咲", "ミサキ"), ("健一", "ケンイチ"), ("直子", "ナオコ")]
SUBJECTS = ["売上と客層の推移", "ホームページの問い合わせ導線", "資金繰り表", "就業規則と勤怠の運用", "原価計算の方法",
            "事業承継の段取り", "SNSの投稿内容", "補助金の申請計画", "店舗の陳列と動線", "海外向けの商品説明",
            "見積書の様式", "在庫の回転日数", "採用の募集文", "価格表", "仕入先との取引条件", "生産工程の段取り替え",
            "顧客名簿の管理", "経営計画書", "衛生管理の手順", "配送の経路"]
VERBS = ["を確認し", "を一緒に見直し", "を分析し", "の改善案を示し", "を整理し", "の課題を洗い出し"]
RESULTS = ["前年より{n}％改善する見込みを共有した", "担当者を決めて毎週{n}分の振り返りを行うことにした",
           "次回までに{n}件の事例を集めることにした", "{n}社の取引先に聞き取りを行うことにした",
           "月末までに{n}項目の点検表を作ることにした"]
ADVICE = [
    "来月までに改善案を二つ試すことを提案した。", "数字で効果を測れるように記録表を用意した。",
    "社長と従業員で役割を分けて進めることを勧めた。", "無理のない範囲で段階的に進めることを助言した。",
]


def report_text(rng, company):
    parts = []
    for _ in range(rng.randint(3, 5)):
        result = rng.choice(RESULTS).format(n=rng.randint(2, 40))
        parts.append(f"{rng.choice(SUBJECTS)}{rng.choice(VERBS)}、{result}。")
    return f"{company}にて" + "".join(parts)


def phase(name, fn, use_tracemalloc):
    if use_tracemalloc:
        tracemalloc.start()
    start, start_cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    peak = ""
    if use_tracemalloc:
        peak = f", peak Python allocations {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB"
        tracemalloc.stop()
    print(f"{name}: {wall:.2f} s wall, {cpu:.2f} s CPU{peak}")
    return result


def seed(count, rng):
    """Synthetic verified cases with reports, ~10 per expert, on distinct days per expert."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from companies.models import Company
    from core.dates import fiscal_year
    from directory.models import BankAccount, ExpertProfile, Organisation
    from dispatch.models import DispatchCase, State
    from reference.models import Industry, Prefecture, Specialty
    from reports.models import SupportReport

    prefectures = list(Prefecture.objects.order_by("code"))
    industry = Industry.objects.filter(parent=None).order_by("sort_key").first()
    topic = Specialty.objects.order_by("pk").first()
    org, _ = Organisation.objects.get_or_create(name=BENCH_ORG, defaults={"kind": "yorozu", "prefecture": prefectures[12]})
    password = make_password(None)
    base = User.objects.count()
    experts_needed = max(1, count // 10)
    creator = User.objects.create(email=f"bench-creator-{base}@example.jp", name="計測", password=password)
    users = User.objects.bulk_create([
        User(email=f"bench-expert-{base}-{i}@example.jp", name="計測専門家", password=password) for i in range(experts_needed)
    ], batch_size=1000)
    experts = []
    for i, user in enumerate(users):
        (sur, sur_kana), (given, given_kana) = rng.choice(SURNAMES), rng.choice(GIVEN)
        experts.append(ExpertProfile(user=user, display_name=f"{sur} {given}", display_name_kana=f"{sur_kana}{given_kana}",
                                     base_prefecture=rng.choice(prefectures), status="approved",
                                     is_corporation=rng.random() < 0.1))
    ExpertProfile.objects.bulk_create(experts, batch_size=1000)
    BankAccount.objects.bulk_create([
        BankAccount(expert=e, bank_code="0001", bank_name="みずほ", branch_code="001", branch_name="東京営業部",
                    account_type="1", account_number=f"{1000000 + i:07d}",
                    holder_kana=e.display_name_kana[:2] + "　" + e.display_name_kana[2:])
        for i, e in enumerate(experts)
    ], batch_size=1000)
    companies = Company.objects.bulk_create([
        Company(legal_form="corporation", name=f"株式会社計測商事{base}-{i}", name_kana="かぶしきがいしゃけいそくしょうじ",
                representative="代表 太郎", industry=industry, prefecture=rng.choice(prefectures), municipality="中央区",
                address="1-1-1", employees=10, is_sme=True)
        for i in range(max(1, count // 5))
    ], batch_size=1000)
    now = timezone.now()
    today = timezone.localdate()
    cases = []
    for i in range(count):
        expert = experts[i % len(experts)]
        visit = i // len(experts)  # the expert's n-th visit: one every 5 days, none on the same day
        day = today - datetime.timedelta(days=1 + (5 * visit) % 58)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 13, 14]))))
        cases.append(DispatchCase(
            organisation=org, company=rng.choice(companies), expert=expert, topic=topic, request_text="計測用の派遣",
            place="計測用", starts_at=start, ends_at=start + datetime.timedelta(hours=2), fiscal_year=fiscal_year(day),
            state=State.VERIFIED, step_started_at=now, created_by=creator,
        ))
    DispatchCase.objects.bulk_create(cases, batch_size=1000)
    reports = []
    for n, c in enumerate(cases):
        activities = report_text(rng, c.company.name)
        if n % 100 == 99:  # about 1 % of reports copied from the same expert's earlier one
            activities = reports[n - len(experts)].activities if n >= len(experts) else activities
        reports.append(SupportReport(
            case=c, activities=activities, advice=rng.choice(ADVICE), hours=rng.choice([2, 3, 4]),
            travel_route="電車 往復", travel_claimed=rng.choice([0, 640, 1320, 4500, 13870]), submitted_at=now,
            submitted_by=c.expert.user,
        ))
    SupportReport.objects.bulk_create(reports, batch_size=1000)


def reset():
    """Put cases of earlier runs back: batches removed, cases verified again, flags dropped (bench data only)."""
    from dispatch.models import DispatchCase, DispatchEvent, State
    from payments.models import AnomalyCheck, AnomalyFlag, PaymentBatch, PaymentLine, Remittance, ReportFingerprint

    bench = DispatchCase.objects.filter(organisation__name=BENCH_ORG)
    PaymentLine.objects.filter(case__in=bench).delete()
    Remittance.objects.filter(lines__isnull=True).delete()
    PaymentBatch.objects.filter(remittances__isnull=True).delete()
    DispatchEvent.objects.filter(case__in=bench, to_state=State.PAID).delete()
    bench.filter(state=State.PAID).update(state=State.VERIFIED)
    AnomalyFlag.objects.filter(case__in=bench).delete()
    AnomalyCheck.objects.filter(case__in=bench).delete()
    ReportFingerprint.objects.filter(case__in=bench).delete()  # every run starts cold


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.getenv("DATABASE_URL"))
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-tracemalloc", action="store_true")
    parser.add_argument("--skip-scan", action="store_true",
                        help="leave out the anomaly checks (the batch then checks the cases itself)")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        ensure_database(args.database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yorozu.settings")
    os.environ.setdefault("YOROZU_ALLOW_INSECURE_KEY", "1")
    os.environ.setdefault("DEBUG", "False")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from core.dates import add_business_days
    from dispatch.models import DispatchCase, State
    from payments import actions, anomalies, tasks, zengin
    from payments.models import PaymentBatch

    call_command("migrate", verbosity=0, skip_checks=True)
    reset()
    have = DispatchCase.objects.filter(organisation__name=BENCH_ORG, state=State.VERIFIED).count()
    if have < args.cases:
        print(f"seeding: {have} verified cases < {args.cases}")
        start = time.perf_counter()
        seed(args.cases - have, random.Random(args.seed + have))
        print(f"seeded in {time.perf_counter() - start:.1f} s")
    secretariat, created = User.objects.get_or_create(email="bench-secretariat@example.jp", defaults={"name": "計測事務局"})
    if created:
        RoleGrant.objects.create(user=secretariat, role=Role.SECRETARIAT, status=RoleGrant.Status.APPROVED)
    today = timezone.localdate()
    period = (today - datetime.timedelta(days=61), today)
    ids = list(actions.candidates(*period).values_list("pk", flat=True))
    print(f"database: {connection.vendor}, {len(ids)} verified cases in the period")
    use_tm = not args.no_tracemalloc

    if not args.skip_scan:
        made = phase("fingerprint the support reports (MinHash bands; incremental in production)",
                     lambda: anomalies.refresh_fingerprints(), use_tm)
        print(f"  {made} reports fingerprinted")
        flags = phase("anomaly checks (scan)", lambda: anomalies.scan(ids), use_tm)
        print(f"  open flags: {flags}")
        from payments.models import AnomalyFlag

        AnomalyFlag.objects.filter(case_id__in=ids).update(status=AnomalyFlag.Status.CLEARED)  # the secretariat clears them
    batch = phase("build the batch", lambda: actions.create_batch(
        secretariat, *period, add_business_days(today, 2), expected_count=len(ids)), use_tm)
    print(f"  {batch.case_count} cases, {batch.payee_count} transfers, net ¥{batch.net_total:,}")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "furikomi.txt")
        data = phase("write the 全銀 file", lambda: actions.export_batch(
            secretariat, batch.pk, write=lambda data: zengin.write_atomically(path, data)), use_tm)
        parsed = zengin.parse(Path(path).read_bytes())
        print(f"  {len(data):,} bytes, {len(parsed.records)} data records, trailer total ¥{int(parsed.trailer['total']):,}")
    phase("mark paid: the request (batch → paying, task queued)", lambda: actions.start_paying(secretariat, batch.pk), use_tm)
    # The task's own code, run here rather than by a worker (which would also send the queued mail).
    state = phase(f"mark paid: the task (verified → paid for every case, {actions.PAY_CHUNK} cases per transaction)",
                  lambda: tasks.pay_batch.call(batch.pk), use_tm)
    print(f"  batch {state}, {PaymentBatch.objects.get(pk=batch.pk).paying_done} cases paid")
    print(f"max resident set size of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
