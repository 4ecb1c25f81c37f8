"""Demo evidence of the day of support (after `load_demo_dispatches`; safe to run again).

Three visits, built through the real dispatch actions and then moved in time (demo only):
* ぱそな建設 today, started 10 minutes ago: the demo SME checks in with the demo expert's code;
* ぱそな建設 ten days ago, evidence complete and certified: waiting for the secretariat's check;
* はな美容室 26 days ago, start mailed late, end from an unregistered phone, no photo:
  the declaration is needed and the deadline warning is due.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from companies.models import Company
from consultations.actions import record_consultation
from consultations.models import Consultation
from core.dates import fiscal_year
from directory.models import ExpertProfile, Organisation
from dispatch import actions as dispatch_actions
from dispatch.demo import _photo as consultation_photo
from dispatch.models import DispatchCase, DispatchEvent, State
from reference.models import Specialty

from . import actions

MARK = "【デモ：支援当日】"
TEXTS = {
    "today": "ホームページの施工事例ページを一緒に作り、問い合わせフォームを設置する。",
    "certified": "見積りの原価管理表を作り、粗利の見える化を進める。",
    "declaration": "予約サイトの口コミ返信と、リピーター向けの案内の作り方を助言する。",
}


def _visit_photo():
    """Two people side by side at the place of support (drawn, no real faces)."""
    image = Image.new("RGB", (640, 480), (235, 238, 230))
    draw = ImageDraw.Draw(image)
    for x, colour in ((220, (70, 80, 120)), (420, (120, 70, 60))):
        draw.ellipse((x - 50, 90, x + 50, 190), fill=(245, 225, 205))
        draw.rounded_rectangle((x - 85, 200, x + 85, 470), radius=50, fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile("IMG_2041.jpg", out.getvalue(), content_type="image/jpeg")


def _expert_for(company):
    qs = ExpertProfile.objects.filter(status=ExpertProfile.Status.APPROVED, areas=company.prefecture_id)
    return qs.filter(user__email="expert@demo.yorozu.jp").first() or qs.order_by("pk").first()


def _consultation(staff, org, company, member):
    existing = Consultation.objects.filter(company=company, organisation=org).exclude(photo="").order_by("-held_on").first()
    if existing:
        return existing
    return record_consultation(staff, org, company, {
        "held_on": timezone.localdate() - datetime.timedelta(days=40), "channel": Consultation.Channel.IN_PERSON,
        "problem": "常連のお客様は多いが新規の予約が伸びない。口コミへの対応も手が回っていない。",
        "outcome": Consultation.Outcome.DISPATCH, "next_steps": "店舗集客の専門家派遣を申請する。",
        "topics": list(Specialty.objects.filter(name__in=["店舗運営・集客", "販路開拓・マーケティング"])),
        "sme_members": [member] if member else [], "attendees_note": "店主", "photo": consultation_photo(),
    })


def _scheduled(staff, org, secretariat, company, consultation, expert, key, days_ahead, topic):
    """A case scheduled through the real actions (future date), later moved into place."""
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=days_ahead), datetime.time(9)))
    case = dispatch_actions.create_case(staff, org, {
        "company": company, "consultation": consultation, "expert": expert,
        "topic": Specialty.objects.get(name=topic), "request_text": MARK + TEXTS[key],
        "place": f"{company.prefecture}{company.municipality}{company.address}",
        "starts_at": start, "ends_at": start + datetime.timedelta(hours=2),
    })
    dispatch_actions.apply_case(staff, case.pk)
    dispatch_actions.approve_case(secretariat, case.pk)
    dispatch_actions.accept_case(expert.user, case.pk)
    return case


def _move(case, starts_at, hours=2):
    local = timezone.localtime(starts_at).date()
    DispatchCase.objects.filter(pk=case.pk).update(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=hours), fiscal_year=fiscal_year(local),
    )
    DispatchEvent.objects.filter(case=case).update(created_at=starts_at - datetime.timedelta(days=7))
    case.refresh_from_db()
    return case


def load_demo_visits():
    sme = User.objects.filter(email="sme@demo.yorozu.jp").first()
    staff = User.objects.filter(email="coordinator@demo.yorozu.jp").first()
    secretariat = User.objects.filter(email="secretariat@demo.yorozu.jp").first()
    org = Organisation.objects.filter(name="東京都よろず支援拠点").first()
    pasona = Company.objects.filter(memberships__user=sme).order_by("pk").first() if sme else None
    hana = Company.objects.filter(name="はな美容室").first()
    if not (sme and staff and secretariat and org and pasona and hana):
        return 0
    if DispatchCase.objects.filter(request_text__startswith=MARK).exists():
        return 0  # already loaded
    pasona_consultation = Consultation.objects.filter(company=pasona).exclude(photo="").order_by("-held_on").first()
    expert = _expert_for(pasona)
    if pasona_consultation is None or expert is None:
        return 0
    now = timezone.now()
    created = 0
    try:
        # 1. Today: ready for check-in.
        today = _scheduled(staff, org, secretariat, pasona, pasona_consultation, expert, "today", 60, "IT・Web活用")
        _move(today, (now - datetime.timedelta(minutes=10)).replace(second=0, microsecond=0))
        created += 1

        # 2. Ten days ago: every piece of evidence in, certified, waiting for the secretariat.
        done = _scheduled(staff, org, secretariat, pasona, pasona_consultation, expert, "certified", 61, "経営戦略")
        start = timezone.make_aware(datetime.datetime.combine(timezone.localdate() - datetime.timedelta(days=10), datetime.time(10, 30)))
        done = _move(done, start, hours=3)
        actions.record_time_report(done.pk, "start", start + datetime.timedelta(minutes=2), source="checkin", actor=sme,
                                   received_at=start + datetime.timedelta(minutes=2))
        actions.record_time_report(done.pk, "end", done.ends_at - datetime.timedelta(minutes=5), source="mail",
                                   sender=sme.email, received_at=done.ends_at - datetime.timedelta(minutes=4))
        actions.attach_photo(done.pk, _visit_photo(), source="upload", actor=sme)
        if not actions.consent_status(pasona.pk, done.fiscal_year):
            actions.mark_consent_received_by_post(secretariat, pasona.pk, done.fiscal_year)
        _certify_for_demo(done, sme)
        created += 1

        # 3. 26 days ago at はな美容室: the start mailed 45 minutes late, the end from a phone, no photo.
        hana_expert = _expert_for(hana)
        hana_consultation = _consultation(staff, org, hana, None)
        late = _scheduled(staff, org, secretariat, hana, hana_consultation, hana_expert, "declaration", 62, "店舗運営・集客")
        start = timezone.make_aware(datetime.datetime.combine(timezone.localdate() - datetime.timedelta(days=26), datetime.time(14)))
        late = _move(late, start)
        actions.record_time_report(late.pk, "start", start, source="mail", sender="hana.biyou@example.jp",
                                   received_at=start + datetime.timedelta(minutes=45))
        actions.record_time_report(late.pk, "end", late.ends_at, source="mail", sender="090xxxx1234@docomo.ne.jp",
                                   received_at=late.ends_at + datetime.timedelta(minutes=3), needs_review=True,
                                   review_reason="登録されていないアドレス（携帯電話）からの報告です。")
        created += 1
    except dispatch_actions.Refused:  # e.g. quota used up by earlier demo data: keep what could be made
        pass
    return created


def _certify_for_demo(case, sme):
    """Demo only, until the reports app files the report and the certification: move the case on."""
    from django.db import transaction

    with transaction.atomic():
        locked = dispatch_actions._lock(case.pk)
        if locked.state == State.DONE:
            dispatch_actions._transition(locked, None, State.REPORTED, "デモ：支援報告書を提出")
            dispatch_actions._transition(locked, sme, State.CERTIFIED, "デモ：従事証明を入力")
