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

ACTIVITIES = "ホームページの現状を一緒に確認し、問い合わせフォームまでの導線とスマートフォン表示を点検した。"
ADVICE = "施工事例のページを毎月2件追加し、地域名を入れた見出しにすること。"


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
                 report_hours="2", travel_claimed=1320, route="JR中央線 立川→東京 往復", activities=ACTIVITIES,
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
