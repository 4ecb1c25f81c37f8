"""Demo cases after the visit: one reported (waiting for the SME's certification) and one certified.

`load_demo_reports()` runs after dispatch.demo.load_demo_dispatches(); safe to run again. Both visits
go through the real actions: scheduled, moved into the past (demo only), start/end reported by the
SME, the report filed by the expert, and for the second the certification with an evaluation.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import Role
from companies.models import Company, Membership
from consultations.actions import record_consultation
from consultations.models import Consultation
from directory.models import ExpertProfile, Organisation
from dispatch import actions as dispatch_actions
from dispatch.models import DispatchCase, DispatchEvent
from reference.models import Specialty

from . import actions
from .models import Certification, CertificationLink, Evaluation, SupportReport

SECOND_SME = ("sme2@demo.yorozu.jp", "花村 美和", "はなむら みわ", "はな美容室")

REPORTED = {
    "topic": "IT・Web活用", "days_ago": 2, "hour": 13,
    "request": "施工事例をホームページで発信できておらず、個人のお客様からの問い合わせが少ない。",
    "activities": (
        "ホームページのアクセス解析（直近3か月）を社長と一緒に確認した。問い合わせページまで進む人が全体の2%未満で、"
        "スマートフォンでは施工事例の写真が表示されるまで8秒かかっていた。Googleビジネスプロフィールは未登録だった。"
    ),
    "advice": (
        "①施工事例を毎月2件、「府中市 外壁塗装」など地域名と工事名を入れた見出しで掲載する。"
        "②写真は横1200ピクセルに縮小して掲載する（表示時間の短縮）。"
        "③問い合わせフォームの項目を9項目から4項目（お名前・連絡先・工事の種類・ご相談内容）に減らす。"
        "④Googleビジネスプロフィールを登録し、完工したお客様に口コミをお願いする。次回までに①と④に着手する。"
    ),
    "hours": Decimal("2"), "travel_route": "JR南武線 立川→分倍河原、京王線 分倍河原→府中（往復）", "travel_claimed": 672,
}
CERTIFIED = {
    "topic": "販路開拓・マーケティング", "days_ago": 16, "hour": 10,
    "request": "新規のお客様が減っており、予約の半分が電話のため取りこぼしがある。若い世代への発信方法を知りたい。",
    "activities": (
        "来店客の年代と来店のきっかけを予約台帳（直近6か月・延べ412件）から集計した。新規客の7割が紹介、"
        "Web予約は1割だった。Instagramの投稿（月1〜2件）と、駅前で配っているチラシの内容を一緒に見直した。"
    ),
    "advice": (
        "①Web予約の受付を始め、電話の取りこぼし（営業中の施術で出られない時間帯）を減らす。"
        "②Instagramはビフォーアフター写真を週2回、撮影の同意を得たお客様だけで投稿する。"
        "③紹介カードに次回10%割引を付け、紹介した方・された方の両方に特典を出す。"
        "④3か月後に新規客数と予約経路を同じ方法で集計し、効果を確かめる。"
    ),
    "hours": Decimal("2"), "travel_route": "JR中央線 国分寺→八王子（往復）", "travel_claimed": 640,
    "evaluation": {
        "satisfaction": 5, "usefulness": 5, "punctuality": 4, "would_recommend": True,
        "comment": "予約台帳から数字を出してもらえたので、何から始めればよいかがはっきりしました。",
    },
}


def load_demo_reports(now=None):
    """Create the two demo cases (0 when already there or when the demo basics are missing)."""
    now = now or timezone.now()
    org = Organisation.objects.filter(name="東京都よろず支援拠点").first()
    staff = User.objects.filter(email="coordinator@demo.yorozu.jp").first()
    secretariat = User.objects.filter(email="secretariat@demo.yorozu.jp").first()
    sme = User.objects.filter(email="sme@demo.yorozu.jp").first()
    expert = ExpertProfile.objects.filter(user__email="expert@demo.yorozu.jp", status=ExpertProfile.Status.APPROVED).first()
    company = Company.objects.filter(memberships__user=sme).order_by("pk").first() if sme else None
    salon = Company.objects.filter(name=SECOND_SME[3]).first()
    if not (org and staff and secretariat and expert and company and salon):
        return 0
    if SupportReport.objects.filter(case__company__in=[company, salon]).exists():
        return 0  # already loaded
    salon_member = _salon_member(salon, now)
    created = 0
    for spec, sme_user, the_company, certify in [
        # Both at はな美容室: the first demo company's free dispatches are taken by the visits demo.
        (REPORTED, salon_member, salon, False), (CERTIFIED, salon_member, salon, True),
    ]:
        try:
            with transaction.atomic():
                _build(spec, org, staff, secretariat, expert, sme_user, the_company, certify, now)
        except dispatch_actions.Refused:  # e.g. the wallet is full or past the application deadline
            continue
        created += 1
    return created


def _salon_member(salon, now):
    from core.management.commands.load_demo import PASSWORD

    email, name, kana, _ = SECOND_SME
    user, created = User.objects.get_or_create(email=email, defaults={"name": name, "name_kana": kana, "email_verified_at": now})
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    RoleGrant.objects.get_or_create(user=user, role=Role.SME, organisation=None, defaults={"status": RoleGrant.Status.APPROVED})
    Membership.objects.get_or_create(company=salon, user=user, defaults={"role": Membership.Role.OWNER})
    return user


def _consultation(org, staff, company, sme_user, spec, visit_day):
    from dispatch.demo import _photo

    existing = (
        Consultation.objects.filter(company=company, organisation=org, channel=Consultation.Channel.IN_PERSON, held_on__lt=visit_day)
        .exclude(photo="").order_by("-held_on").first()
    )
    if existing:
        return existing
    return record_consultation(staff, org, company, {
        "held_on": visit_day - datetime.timedelta(days=7), "channel": Consultation.Channel.IN_PERSON,
        "problem": spec["request"], "outcome": Consultation.Outcome.DISPATCH, "next_steps": "専門家派遣を申請する。",
        "topics": list(Specialty.objects.filter(name=spec["topic"])), "sme_members": [sme_user],
        "attendees_note": "代表者", "photo": _photo(),
    })


def _build(spec, org, staff, secretariat, expert, sme_user, company, certify, now):
    from visits.actions import record_time_report

    visit_day = timezone.localdate(now) - datetime.timedelta(days=spec["days_ago"])
    start = timezone.make_aware(datetime.datetime.combine(visit_day, datetime.time(spec["hour"])))
    future = now + datetime.timedelta(days=30)  # applying needs a future date; moved back below
    case = dispatch_actions.create_case(staff, org, {
        "company": company, "consultation": _consultation(org, staff, company, sme_user, spec, visit_day),
        "expert": expert, "topic": Specialty.objects.get(name=spec["topic"]), "request_text": spec["request"],
        "place": f"{company.prefecture}{company.municipality}{company.address}",
        "starts_at": future, "ends_at": future + datetime.timedelta(hours=2),
    })
    dispatch_actions.apply_case(staff, case.pk)
    dispatch_actions.approve_case(secretariat, case.pk)
    dispatch_actions.accept_case(expert.user, case.pk)
    # Demo only: the visit took place in the past, so its timeline is moved back with it.
    end = start + datetime.timedelta(hours=2)
    DispatchCase.objects.filter(pk=case.pk).update(starts_at=start, ends_at=end)
    DispatchEvent.objects.filter(case=case).update(created_at=start - datetime.timedelta(days=6))
    for kind, at in [("start", start + datetime.timedelta(minutes=3)), ("end", end + datetime.timedelta(minutes=5))]:
        record_time_report(case.pk, kind, at, source="checkin", actor=sme_user, received_at=at)
    _date_last_event(case, end + datetime.timedelta(minutes=5))
    report_data = {name: spec[name] for name in actions.REPORT_FIELDS}
    report = actions.submit_report(expert.user, case.pk, report_data)
    reported_at = end + datetime.timedelta(hours=5)
    SupportReport.objects.filter(pk=report.pk).update(submitted_at=reported_at)
    _date_last_event(case, reported_at)
    if not certify:
        return case
    actions.certify(sme_user, case.pk, {
        "support_date": visit_day, "start_time": datetime.time(spec["hour"], 3),
        "end_time": datetime.time(spec["hour"] + 2, 5), "content_confirmed": True,
    }, spec["evaluation"])
    certified_at = reported_at + datetime.timedelta(days=1, hours=2)
    Certification.objects.filter(case=case).update(certified_at=certified_at)
    Evaluation.objects.filter(case=case).update(submitted_at=certified_at)
    CertificationLink.objects.filter(case=case).update(created_at=reported_at, expires_at=reported_at + datetime.timedelta(days=14))
    _date_last_event(case, certified_at)
    return case


def _date_last_event(case, at):
    last = DispatchEvent.objects.filter(case=case).order_by("-pk").first()
    DispatchEvent.objects.filter(pk=last.pk).update(created_at=at)
