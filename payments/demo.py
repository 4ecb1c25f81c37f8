"""Demo payments (after the other demo loaders; safe to run again).

Uses verified or paid demo cases when there are any; otherwise makes six visits in Aichi, Osaka and
Fukuoka (demo data only: written directly as already visited, reported and verified, with their
timeline). Then:
* a batch paid last month (the 全銀 file exported, cases moved to 'paid', experts mailed);
* an open batch of recent visits, waiting for its file;
* one more verified visit the checks flag: the demo expert "was" in Aichi until 13:00 and in Fukuoka
  at 15:00, with a report copied from the morning's.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from companies.models import Company
from core.dates import add_business_days, fiscal_year, is_business_day
from directory.models import ExpertProfile, Organisation
from dispatch.models import DispatchCase, DispatchEvent, State
from reference.models import Specialty
from reports.models import SupportReport

from . import actions, anomalies
from .models import PaymentBatch, PaymentLine, Remittance

MARK = "【デモ：謝金の支払】"
PATH = [State.DRAFT, State.APPLIED, State.APPROVED, State.SCHEDULED, State.DONE, State.REPORTED, State.CERTIFIED, State.VERIFIED]
REPORTS = {
    "okazaki": ("切削ラインの段取り替えの手順を現場で確認し、工程ごとの作業時間を計測した。段取り替えに平均42分かかっており、"
                "工具の置き場所と治具の事前準備が主な原因であることを工場長と共有した。",
                "外段取りにできる作業を一覧にし、来月から試行すること。工具の定位置を決め、写真付きの手順書を作ること。"),
    "midori": ("昼の定食の原価と売れ筋を一緒に集計し、原価率が4割を超えるメニューが3品あることを確認した。"
               "仕入先ごとの価格と納品頻度も整理した。",
               "原価率の高い3品は量と付け合わせを見直し、価格改定は季節メニューの切替時に行うこと。"),
    "mentai": ("越境ECで扱う商品の説明文と写真を確認し、英語と繁体字の表記、賞味期限と配送方法の記載を点検した。",
               "冷凍便の配送条件を商品ページの先頭に書くこと。問い合わせの多い質問をまとめたページを作ること。"),
}


def _at(days_ago, hour):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _visit(org, company, expert, creator, topic, starts_at, hours, report, travel, route):
    """A case already visited, reported, certified and verified, with its timeline (demo only)."""
    case = DispatchCase.objects.create(
        organisation=org, company=company, expert=expert, topic=topic, request_text=MARK + report[0][:40],
        place=f"{company.prefecture}{company.municipality}{company.address}", starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours), fiscal_year=fiscal_year(timezone.localtime(starts_at).date()),
        state=State.VERIFIED, step_started_at=starts_at + datetime.timedelta(days=6), created_by=creator,
    )
    offsets = [-20, -18, -16, -15, 0, 1, 2, 6]  # days relative to the visit
    previous = ""
    for state, offset in zip(PATH, offsets):
        event = DispatchEvent.objects.create(case=case, actor=None, from_state=previous, to_state=state, reason="")
        DispatchEvent.objects.filter(pk=event.pk).update(created_at=starts_at + datetime.timedelta(days=offset, hours=hours))
        previous = state
    SupportReport.objects.create(
        case=case, activities=report[0], advice=report[1], hours=Decimal(hours), travel_route=route, travel_claimed=travel,
        submitted_at=starts_at + datetime.timedelta(hours=hours + 5), submitted_by=expert.user,
    )
    return case


def _make_cases(secretariat):
    orgs = {o.prefecture_id: o for o in Organisation.objects.filter(name__in=["愛知県よろず支援拠点", "大阪府よろず支援拠点", "福岡県よろず支援拠点"])}
    companies = {c.name: c for c in Company.objects.filter(name__in=["株式会社岡崎精密", "有限会社みどり食堂", "株式会社博多めんたい本舗", "株式会社糸島ベーカリー"])}
    demo_expert = ExpertProfile.objects.filter(user__email="expert@demo.yorozu.jp").first()
    approved = ExpertProfile.objects.filter(status=ExpertProfile.Status.APPROVED, bank_account__isnull=False)
    osaka = approved.filter(base_prefecture_id="27", is_corporation=False).order_by("pk").first()
    corporate = approved.filter(is_corporation=True).order_by("pk").first()
    topic = Specialty.objects.filter(name="生産管理・品質").first() or Specialty.objects.order_by("pk").first()
    if len(orgs) < 3 or len(companies) < 4 or not (demo_expert and osaka and corporate and topic):
        return None
    okazaki, midori, mentai, itoshima = (companies[n] for n in ["株式会社岡崎精密", "有限会社みどり食堂", "株式会社博多めんたい本舗", "株式会社糸島ベーカリー"])
    shinkansen = "東海道新幹線 東京→名古屋、名鉄名古屋本線 名鉄名古屋→東岡崎（往復）"
    old = [
        _visit(orgs["23"], okazaki, demo_expert, secretariat, topic, _at(45, 10), 3, REPORTS["okazaki"], 23_560, shinkansen),
        _visit(orgs["27"], midori, osaka, secretariat, topic, _at(41, 14), 2, REPORTS["midori"], 920, "南海高野線 なんば→堺東（往復）"),
        _visit(orgs["40"], mentai, corporate, secretariat, topic, _at(38, 13), 2, REPORTS["mentai"], 0, ""),
    ]
    recent = [
        _visit(orgs["23"], okazaki, demo_expert, secretariat, topic, _at(12, 10), 3,
               ("2回目の訪問。外段取り化を試した結果、段取り替えの時間は42分から28分に縮んだ。治具の準備表が定着していない点を確認した。",
                "準備表を班長が毎朝確認すること。次は刃物交換の手順を標準化すること。"), 23_560, shinkansen),
        _visit(orgs["27"], midori, osaka, secretariat, topic, _at(9, 14), 2,
               ("見直した3品の原価率を再計算し、2品は3割台に下がったことを確認した。季節メニューの試作原価も一緒に計算した。",
                "季節メニューは原価率35％以内を目安に価格を決めること。"), 920, "南海高野線 なんば→堺東（往復）"),
    ]

    def flagged():
        """The same afternoon in Fukuoka, with the morning's report copied: the checks flag it."""
        morning = recent[0]
        return _visit(orgs["40"], itoshima, demo_expert, secretariat, topic, morning.ends_at + datetime.timedelta(hours=2), 2,
                      (morning.support_report.activities, morning.support_report.advice), 1_500,
                      "JR筑肥線 博多→筑前前原（往復）")

    return old, recent, flagged


def _existing(secretariat):
    cases = list(DispatchCase.objects.filter(state=State.VERIFIED, support_report__isnull=False)
                 .exclude(payment_lines__active=True).order_by("starts_at"))
    if len(cases) < 2:
        return None
    half = len(cases) // 2
    return cases[:half], cases[half:], None


def _transfer_day():
    return add_business_days(timezone.localdate(), 3)


def _batch(secretariat, cases):
    days = [timezone.localtime(c.starts_at).date() for c in cases]
    return actions.create_batch_of_cases(secretariat, [c.pk for c in cases], min(days), max(days), _transfer_day())


@transaction.atomic
def load_demo_payments():
    """Create the demo batches; 0 when already there or when the demo basics are missing."""
    if PaymentBatch.objects.exists() or PaymentLine.objects.exists():
        return 0
    secretariat = User.objects.filter(email="secretariat@demo.yorozu.jp").first()
    if secretariat is None:
        return 0
    made = _existing(secretariat) or _make_cases(secretariat)
    if made is None:
        return 0
    old, recent, flagged = made
    try:
        paid = _batch(secretariat, old)
        actions.export_batch(secretariat, paid.pk)
        actions.start_paying(secretariat, paid.pk)
        actions.pay_all(paid.pk)  # demo data is complete at once; the queued task then finds nothing to do
        # Demo only: the paid batch went out last month.
        day = max(timezone.localtime(c.starts_at).date() for c in old) + datetime.timedelta(days=14)
        while not is_business_day(day):
            day += datetime.timedelta(days=1)
        day = min(day, timezone.localdate())
        PaymentBatch.objects.filter(pk=paid.pk).update(transfer_date=day, paid_at=timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(15))), exported_at=timezone.make_aware(
            datetime.datetime.combine(day - datetime.timedelta(days=2), datetime.time(11))))
        Remittance.objects.filter(batch=paid).update(paid_on=day)
        _batch(secretariat, recent)
    except actions.Refused:  # e.g. a demo expert without a usable bank account: leave nothing half-made
        transaction.set_rollback(True)
        return 0
    if flagged is not None:  # made after the batches, so that only this case is flagged
        anomalies.scan([flagged().pk])
    return 2
