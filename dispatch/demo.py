"""Demo consultations and dispatch cases in every state (called by `manage.py load_demo`; safe to run again)."""

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
from core.images import sanitize_image
from directory.models import ExpertProfile, Organisation
from programme.services import programme_for
from reference.models import Specialty

from . import actions
from .models import DispatchCase, DispatchEvent, State

PROBLEM = "施工事例をホームページで発信できておらず、個人のお客様からの問い合わせが少ない。見積りの原価管理も見直したい。"
STATES = [
    # (state, days ahead, hour, topic)
    (State.DRAFT, 21, 10, "販路開拓・マーケティング"),
    (State.APPLIED, 14, 10, "IT・Web活用"),
    (State.RETURNED, 15, 14, "経営戦略"),
    (State.APPROVED, 16, 10, "IT・Web活用"),
    (State.DECLINED, 17, 14, "資金繰り・財務"),
    (State.SCHEDULED, 7, 13, "IT・Web活用"),
    (State.CANCELLED, 9, 10, "経営戦略"),
    (State.NO_SHOW, 8, 10, "経営戦略"),
]


def _photo():
    image = Image.new("RGB", (480, 320), (225, 230, 240))
    draw = ImageDraw.Draw(image)
    for x in (130, 330):  # two people at a table, no real faces
        draw.ellipse((x - 40, 60, x + 40, 140), fill=(245, 225, 205))
        draw.rounded_rectangle((x - 70, 150, x + 70, 300), radius=40, fill=(60, 70, 110))
    draw.rectangle((60, 230, 420, 250), fill=(150, 110, 70))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return sanitize_image(SimpleUploadedFile("demo-consultation.jpg", out.getvalue(), content_type="image/jpeg"))


def load_demo_dispatches(now=None):
    now = now or timezone.now()
    sme = User.objects.filter(email="sme@demo.yorozu.jp").first()
    company = Company.objects.filter(memberships__user=sme).order_by("pk").first() if sme else None
    org = Organisation.objects.filter(name="東京都よろず支援拠点").first()
    staff = User.objects.filter(email="coordinator@demo.yorozu.jp").first()
    secretariat = User.objects.filter(email="secretariat@demo.yorozu.jp").first()
    if not (company and org and staff and secretariat):
        return 0
    if DispatchCase.objects.filter(company=company).exists():
        return 0  # already loaded
    experts = list(
        ExpertProfile.objects.filter(status=ExpertProfile.Status.APPROVED, areas=company.prefecture_id).order_by("pk")[:3]
    )
    if len(experts) < 2:
        return 0
    consultation = record_consultation(staff, org, company, {
        "held_on": timezone.localdate() - datetime.timedelta(days=3), "channel": Consultation.Channel.IN_PERSON,
        "problem": PROBLEM, "outcome": Consultation.Outcome.DISPATCH, "next_steps": "Web集客の専門家派遣を申請する。",
        "topics": list(Specialty.objects.filter(name__in=["IT・Web活用", "経営戦略"])),
        "sme_members": [sme], "attendees_note": "代表取締役", "photo": _photo(),
    })
    # After the application deadline (March), put the demo visits in the next fiscal year.
    base_day = timezone.localdate()
    if base_day > programme_for(base_day).application_deadline:
        base_day = datetime.date(fiscal_year(base_day) + 1, 4, 1)
    created = 0
    for index, (state, days, hour, topic) in enumerate(STATES):
        expert = experts[index % 2]
        start = timezone.make_aware(datetime.datetime.combine(base_day + datetime.timedelta(days=days), datetime.time(hour)))
        case = actions.create_case(staff, org, {
            "company": company, "consultation": consultation, "expert": expert,
            "topic": Specialty.objects.get(name=topic), "request_text": PROBLEM, "place": f"{company.prefecture}{company.municipality}{company.address}",
            "starts_at": start, "ends_at": start + datetime.timedelta(hours=2),
        })
        try:
            _advance(case, state, staff, secretariat, expert)
        except actions.Refused:  # e.g. loaded after the application deadline: keep what could be made
            continue
        created += 1
    return created


def _advance(case, state, staff, secretariat, expert):
    if state == State.DRAFT:
        return
    if state == State.CANCELLED:
        actions.cancel_case(staff, case.pk, "事業者の繁忙期と重なったため")
        return
    actions.apply_case(staff, case.pk)
    if state == State.APPLIED:
        return
    if state == State.RETURNED:
        actions.return_case(secretariat, case.pk, "支援の内容を、相談で分かった課題に沿って具体的に書いてください。")
        return
    actions.approve_case(secretariat, case.pk)
    if state == State.APPROVED:
        return
    if state == State.DECLINED:
        actions.decline_case(expert.user, case.pk, "同日に別の支援が入っており、伺えません。")
        return
    actions.accept_case(expert.user, case.pk)
    if state == State.NO_SHOW:
        # Demo only: move the visit into the past so it can be recorded as not carried out.
        past = timezone.now() - datetime.timedelta(days=2)
        DispatchCase.objects.filter(pk=case.pk).update(starts_at=past, ends_at=past + datetime.timedelta(hours=2))
        DispatchEvent.objects.filter(case=case).update(created_at=past - datetime.timedelta(days=5))
        actions.mark_no_show(staff, case.pk, "当日、事業者が急な来客対応で不在だった。")
