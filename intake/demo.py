"""Demo expert requests in every state (called by `manage.py load_demo`; safe to run again)."""

import datetime

from django.utils import timezone

from accounts.models import User
from companies.models import Company
from directory.models import ExpertProfile, Organisation

from . import actions
from .models import ExpertRequest
from .stats import refresh_org_stats

PROBLEMS = [
    "現場の写真や施工事例をWebで発信して、個人のお客様からの問い合わせを増やしたい。",
    "職人の高齢化が進んでおり、若手の採用と育成の進め方を相談したい。",
    "資材価格の高騰で利益が出ておらず、見積りと原価管理を見直したい。",
    "息子への事業承継を考え始めたが、何から準備すればよいか分からない。",
    "補助金を使って事務作業をクラウド化したい。",
    "BCP（事業継続計画）を作って取引先に示したい。",
]


def load_demo_requests(now=None):
    now = now or timezone.now()
    sme = User.objects.filter(email="sme@demo.yorozu.jp").first()
    company = Company.objects.filter(memberships__user=sme).order_by("pk").first() if sme else None
    org = Organisation.objects.filter(name="東京都よろず支援拠点").first()
    staff = User.objects.filter(email="coordinator@demo.yorozu.jp").first()
    experts = list(ExpertProfile.objects.filter(status=ExpertProfile.Status.APPROVED).order_by("pk")[:6])
    if not (company and org and staff and len(experts) == 6):
        return 0
    if ExpertRequest.objects.filter(company=company).exists():
        return 0  # already loaded
    ago = lambda **kw: now - datetime.timedelta(**kw)  # noqa: E731
    ask = lambda i, when: actions.submit_request(  # noqa: E731
        sme, company, experts[i], org, PROBLEMS[i], "in_person", now=when
    )
    ask(0, ago(hours=2))  # waiting, within the clock
    overdue = ask(1, ago(days=6))  # unanswered: escalated to the chief and the bureau
    actions.escalate_one(overdue.pk, now=now)
    accepted = ask(2, ago(days=10))
    actions.accept_request(
        staff, accepted.pk, now + datetime.timedelta(days=5, hours=2), "in_person",
        "東京都よろず支援拠点 相談室B", "見積書と直近2期分の決算書をお持ちください。", now=ago(days=10) + datetime.timedelta(hours=3),
    )
    declined = ask(3, ago(days=20))
    actions.decline_request(
        staff, declined.pk,
        "事業承継は東京都事業承継・引継ぎ支援センターが専門の窓口です。そちらで専門家をご紹介できます。",
        now=ago(days=19),
    )
    withdrawn = ask(4, ago(days=30))
    actions.withdraw_request(sme, withdrawn.pk, "自社で対応することにしました。", now=ago(days=29))
    expired = ask(5, ago(days=40))
    actions.escalate_one(expired.pk, now=now)
    refresh_org_stats(now=now)
    return 6
