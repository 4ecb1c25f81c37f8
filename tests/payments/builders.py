"""Verified cases with support reports, and experts with bank accounts (test data: the case is made
by the real create action, then moved into the past and to 'verified' directly)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from core.dates import fiscal_year
from directory.models import BankAccount
from dispatch.models import DispatchCase, State
from reports.models import SupportReport
from tests import factories
from tests.dispatch.builders import World


ADVICE = "施工事例のページを毎月2件追加し、地域名を入れた見出しにすること。"
# Distinct reports for cases built without a given text (identical ones would be flagged as copies).
REPORTS = [
    "ホームページの現状を一緒に確認し、問い合わせフォームまでの導線とスマートフォン表示を点検した。",
    "資金繰り表を社長と作成し、3か月先までの入金と支払の予定を月ごとに並べて不足の時期を確かめた。",
    "就業規則を読み合わせ、残業の申請が口頭で行われている運用を改め、申請書の様式を決めた。",
    "主力商品の原価を材料費と加工時間に分けて計算し直し、値上げが必要な品目を三つに絞り込んだ。",
    "事業承継の進め方として、後継者候補との面談の日程と株式の評価を依頼する税理士の選び方を整理した。",
    "店舗の陳列棚を見て回り、入口から奥への動線と季節商品の置き場所について写真を撮りながら検討した。",
    "展示会への出展計画を立て、来場者に渡す資料の内容と商談の記録票の項目を一緒に決めた。",
    "補助金の公募要領を読み合わせ、申請書の事業計画に書く数値目標と見積書の集め方を確認した。",
    "SNSの過去半年の投稿を分析し、反応の多かった写真の傾向から次月の投稿予定表を作成した。",
    "製造現場で不良品の発生記録を集計し、検査工程の手順書と記録用紙の改善案をまとめた。",
]


def account(expert, holder="ヤマダ　タロウ", bank_code="0001", branch_code="001", number="1234567"):
    from reference.banks import lookup_bank, lookup_branch

    return BankAccount.objects.create(
        expert=expert, bank_code=bank_code, bank_name=lookup_bank(bank_code)["name"], branch_code=branch_code,
        branch_name=lookup_branch(bank_code, branch_code)["name"], account_type="1", account_number=number,
        holder_kana=holder,
    )


def paid_expert(holder="ヤマダ　タロウ", **kwargs):
    expert = factories.ExpertFactory(**kwargs)
    account(expert, holder=holder)
    return expert


def at(days_ago, hour=10, minute=0):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class PayWorld(World):
    def __init__(self):
        super().__init__()
        account(self.expert)

    def verified(self, days_ago=10, hour=10, hours=2, expert=None, company=None, prefecture=None,
                 report_hours="2", travel_claimed=1320, route="JR中央線 立川→東京 往復", activities=None,
                 advice=ADVICE, state=State.VERIFIED, starts_at=None):
        """A case visited `days_ago` days ago at `hour`, with a support report, in `state`."""
        company = company or self.company
        case = self.draft(days=30, expert=expert, company=company,
                          consultation="default" if company == self.company else None)
        start = starts_at or at(days_ago, hour)
        DispatchCase.objects.filter(pk=case.pk).update(
            state=state, starts_at=start, ends_at=start + datetime.timedelta(hours=hours),
            fiscal_year=fiscal_year(timezone.localtime(start).date()),
        )
        if prefecture:
            type(company).objects.filter(pk=company.pk).update(prefecture_id=prefecture)
        if report_hours is not None:
            if activities is None:
                activities = REPORTS[SupportReport.objects.count() % len(REPORTS)]
            SupportReport.objects.create(
                case=case, activities=activities, advice=advice, hours=Decimal(report_hours), travel_route=route,
                travel_claimed=travel_claimed, submitted_at=timezone.now(), submitted_by=case.expert.user,
            )
        case.refresh_from_db()
        return case

    def new_company(self, prefecture="13"):
        from reference.models import Prefecture

        company, _user = factories.company_with_member(prefecture=Prefecture.objects.get(code=prefecture))
        return company


def pay(actor, batch):
    """Press 支払済みにする and run what the queued task runs, here in the test's own transaction (the
    task through the real worker is tested in test_paying_task.py)."""
    from payments import actions

    actions.start_paying(actor, batch.pk)
    return actions.pay_all(batch.pk)
