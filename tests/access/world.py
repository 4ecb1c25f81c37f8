"""The shared world of the access matrix: every object a URL can name, built once through the real actions.

Company A (大阪) is consulted by centre X (大阪府よろず支援拠点, 近畿局 = region R) and has dispatch cases with
expert E in every state that has its own pages; company B (東京) belongs to centre Y (東京都, 関東局 = region S).
Each persona is one user; `tokens` holds a personal API token per persona.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import RoleGrant
from accounts.roles import Role
from consultations.models import Consultation
from core.dates import add_business_days, fiscal_year
from directory.models import ExpertProfile, ExpertQualification, Organisation
from dispatch import actions as dispatch_actions
from dispatch.models import DispatchCase, State
from reference.models import Bureau, Prefecture, Qualification, Specialty
from tests import factories
from tests.consultations.builders import consult, jpeg_upload
from tests.dispatch.builders import open_programme, visit
from tests.visits.builders import jpeg_bytes, pdf_upload

CASE_STATES = {
    "case_draft": State.DRAFT, "case_applied": State.APPLIED, "case_approved": State.APPROVED,
    "case_scheduled": State.SCHEDULED,
}


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class World:
    """Attributes are the objects; `arg(name)` turns one into what a URL takes (its pk, or the value)."""

    def arg(self, name):
        value = self
        for part in name.split("."):
            value = getattr(value, part)
        return getattr(value, "pk", value)


def build():
    w = World()
    w.today, w.fy = timezone.localdate(), fiscal_year()
    _people(w)
    _consultations(w)
    _cases(w)
    _evidence(w)
    _payments(w)
    _intake(w)
    _desk(w)
    _governance(w)
    _mail(w)
    _accounts(w)
    w.tokens = {name: _api_token(user) for name, user in w.people.items() if user is not None}
    w.token_sme_a = w.sme_a.api_tokens.get()
    return w


def _people(w):
    osaka, tokyo = Prefecture.objects.get(code="27"), Prefecture.objects.get(code="13")
    w.org_x = factories.OrganisationFactory(name="大阪府よろず支援拠点", prefecture=osaka, kind=Organisation.Kind.YOROZU)
    w.org_y = factories.OrganisationFactory(name="東京都よろず支援拠点", prefecture=tokyo, kind=Organisation.Kind.YOROZU)
    w.org_k = factories.OrganisationFactory(name="豊中市商工会", prefecture=osaka, kind=Organisation.Kind.SHOKOKAI)
    w.company_a, w.sme_a = factories.company_with_member(name="株式会社なにわ製作所", prefecture=osaka, municipality="大阪市北区")
    w.company_b, w.sme_b = factories.company_with_member(name="株式会社江戸商事", prefecture=tokyo)
    w.expert_e = factories.ExpertFactory(display_name="専門家 英子", base_prefecture=osaka)
    w.expert_e.areas.add(osaka)
    w.expert_e.photo.save("e.jpg", ContentFile(jpeg_bytes()), save=True)
    w.expert_qualification = ExpertQualification.objects.create(
        expert=w.expert_e, qualification=Qualification.objects.order_by("pk").first())
    from tests.payments.builders import account

    account(w.expert_e)
    w.expert_f = factories.ExpertFactory(display_name="専門家 史郎")
    w.expert_pending = factories.ExpertFactory(display_name="審査中 三郎", status=ExpertProfile.Status.PENDING)
    w.expert_pending.photo.save("p.jpg", ContentFile(jpeg_bytes()), save=True)
    staff = factories.UserFactory
    w.coord_x = factories.grant(staff(name="相談員 大阪"), Role.COORDINATOR, organisation=w.org_x)
    w.chief_x = factories.grant(staff(name="チーフ 大阪"), Role.CHIEF, organisation=w.org_x)
    w.coord_y = factories.grant(staff(name="相談員 東京"), Role.COORDINATOR, organisation=w.org_y)
    w.chief_y = factories.grant(staff(name="チーフ 東京"), Role.CHIEF, organisation=w.org_y)
    w.desk_x = factories.grant(staff(name="窓口相談員 大阪"), Role.DESK, organisation=w.org_x)
    w.adviser_k = factories.grant(staff(name="経営指導員 豊中"), Role.COORDINATOR, organisation=w.org_k)
    w.secr = factories.grant(staff(name="事務局 一郎"), Role.SECRETARIAT)
    w.bureau_r = factories.grant(staff(name="近畿局 担当"), Role.BUREAU, bureau=Bureau.objects.get(code="kinki"))
    w.bureau_s = factories.grant(staff(name="関東局 担当"), Role.BUREAU, bureau=Bureau.objects.get(code="kanto"))
    w.hq = factories.grant(staff(name="全国本部 担当"), Role.HQ)
    w.admin = factories.grant(staff(name="管理者"), Role.ADMIN)
    # The table's columns, in its order.
    w.people = {
        "anon": None, "smeA": w.sme_a, "smeB": w.sme_b, "expE": w.expert_e.user, "expF": w.expert_f.user,
        "crdX": w.coord_x, "chfX": w.chief_x, "crdY": w.coord_y, "chfY": w.chief_y, "dskX": w.desk_x,
        "advK": w.adviser_k, "secr": w.secr, "burR": w.bureau_r, "burS": w.bureau_s, "hq": w.hq, "admin": w.admin,
    }
    # A coordinator's application waiting for the chief of X.
    w.applicant = staff(name="申請中の相談員")
    w.grant_pending = RoleGrant.objects.create(user=w.applicant, role=Role.COORDINATOR, organisation=w.org_x)


def _consultations(w):
    from consultations.actions import record_consultation

    w.consultation = consult(w.coord_x, w.org_x, w.company_a)
    # Y consulted company B and referred it to X: X answers the referral.
    w.consultation_y = record_consultation(w.coord_y, w.org_y, w.company_b, {
        "held_on": w.today, "channel": Consultation.Channel.PHONE, "problem": "販路開拓の相談。",
        "outcome": Consultation.Outcome.REFERRED, "topics": list(Specialty.objects.filter(name="IT・Web活用")),
        "refer_to": w.org_x, "referral_note": "大阪の取引先について",
    })
    w.referral = w.consultation_y.referrals.get()


def _draft(w, days, hour=10):
    starts_at, ends_at = visit(days, hour)
    open_programme(starts_at)
    return dispatch_actions.create_case(w.coord_x, w.org_x, {
        "company": w.company_a, "consultation": w.consultation, "expert": w.expert_e,
        "topic": Specialty.objects.get(name="経営戦略"), "request_text": "問い合わせを増やすためのWeb集客の改善",
        "place": "大阪府大阪市北区梅田1-1-1", "starts_at": starts_at, "ends_at": ends_at,
    })


def _advance(w, case, state):
    steps = [
        lambda: dispatch_actions.apply_case(w.coord_x, case.pk),
        lambda: dispatch_actions.approve_case(w.secr, case.pk),
        lambda: dispatch_actions.accept_case(w.expert_e.user, case.pk),
    ]
    for step in steps:
        if case.state == state:
            break
        step()
        case.refresh_from_db()
    assert case.state == state, (case.state, state)
    return case


def _move(case, starts_at, hours=2):
    DispatchCase.objects.filter(pk=case.pk).update(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=hours))
    case.refresh_from_db()
    return case


def _cases(w):
    from programme.services import programme_for_year

    for fy in (w.fy, w.fy + 1):  # visits a month ahead may fall in the next fiscal year
        year = programme_for_year(fy)
        year.dispatch_quota = year.it_dispatch_quota = 20  # one company holds a case in every state here
        year.save(update_fields=["dispatch_quota", "it_dispatch_quota"])
    for offset, (name, state) in enumerate(CASE_STATES.items()):
        setattr(w, name, _advance(w, _draft(w, days=10 + offset), state))
    # A draft the centre cancelled before applying: it never reached the expert.
    w.case_cancelled_draft = _draft(w, days=15)
    dispatch_actions.cancel_case(w.coord_x, w.case_cancelled_draft.pk, "事業者の都合")
    # The scheduled visit started half an hour ago, today (check-in, the expert's code, no-show).
    _move(w.case_scheduled, max(timezone.now() - datetime.timedelta(minutes=30), at(w.today, 0)))
    w.reschedule_to = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(hour=14, minute=0)
    if fiscal_year(w.reschedule_to.date()) != w.fy:  # pragma: no cover - the last days of March
        w.reschedule_to = w.reschedule_to - datetime.timedelta(days=6)


def _evidence(w):
    """case_reported: the report is in and the certification links are mailed. case_certified: certified, with a
    photo, the consent, a declaration scan and a start report waiting for review."""
    from reports import actions as report_actions
    from tests.reports.builders import REPORT, certification, evaluation, mailed_link
    from visits import actions as visit_actions
    from visits.models import TimeReport

    w.case_reported = _advance(w, _draft(w, days=20), State.SCHEDULED)
    _move(w.case_reported, at(w.today - datetime.timedelta(days=2), 10))
    report_actions.submit_report(w.expert_e.user, w.case_reported.pk, dict(REPORT))
    w.case_reported.refresh_from_db()
    _, w.certify_token = mailed_link(w.sme_a.email)

    case = w.case_certified = _advance(w, _draft(w, days=21), State.SCHEDULED)
    _move(case, at(w.today - datetime.timedelta(days=1), 10))
    w.photo = visit_actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=w.sme_a)
    w.consent = visit_actions.attach_consent(w.company_a.pk, case.fiscal_year, pdf_upload(), source="upload", actor=w.sme_a)
    w.declaration = visit_actions.upload_declaration(w.sme_a, case.pk, pdf_upload("declaration.pdf"))
    w.time_report = visit_actions.record_time_report(
        case.pk, "start", case.starts_at, source=TimeReport.Source.MAIL, sender="unknown@example.jp", needs_review=True)
    visit_actions.record_time_report(case.pk, "end", case.ends_at, source=TimeReport.Source.MAIL, sender=w.sme_a.email)
    report_actions.submit_report(w.expert_e.user, case.pk, {**REPORT, "activities": "資金繰り表を社長と作成した。"})
    case.refresh_from_db()
    report_actions.certify(w.sme_a, case.pk, certification(case), evaluation())
    case.refresh_from_db()
    assert case.state == State.CERTIFIED, case.state


def _payments(w):
    from payments import actions as pay_actions
    from payments import anomalies
    from payments.models import AnomalyFlag
    from reports.models import SupportReport

    case = w.case_verified = _draft(w, days=30)
    start = at(w.today - datetime.timedelta(days=5), 10)
    DispatchCase.objects.filter(pk=case.pk).update(state=State.VERIFIED, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    SupportReport.objects.create(
        case=case, activities="就業規則を読み合わせ、残業の申請の運用を改めた。", advice="申請書の様式を決めること。",
        hours=Decimal("2"), travel_route="JR大阪環状線", travel_claimed=400, submitted_at=timezone.now(), submitted_by=w.expert_e.user,
    )
    # Expert E and company A meet often here: the pre-payment check flags the pair; the secretariat cleared it.
    anomalies.scan([case.pk])
    AnomalyFlag.objects.filter(case=case).update(status=AnomalyFlag.Status.CLEARED)
    w.batch = pay_actions.create_batch_of_cases(
        w.secr, [case.pk], w.today - datetime.timedelta(days=40), w.today, add_business_days(w.today, 3))
    w.remittance = w.batch.remittances.get()
    w.flag = AnomalyFlag.objects.create(case=w.case_certified, kind=AnomalyFlag.Kind.PAIR, key="matrix",
                                        reason="同じ専門家と事業者の組合せが多い")


def _intake(w):
    from intake import actions as intake_actions

    w.expert_request = intake_actions.submit_request(
        w.sme_a, w.company_a, w.expert_e, w.org_x, "ホームページからの問い合わせを増やしたい。", "in_person")
    w.appointment_at = at(add_business_days(w.today, 5), 14)


def _desk(w):
    from desk import actions as desk_actions
    from desk.models import Channel, ShokokaiMember, Source
    from tests.desk.builders import desk_settings, past_business_day

    w.desk = desk_actions.open_desk(w.chief_x, w.org_x, desk_settings(name="大阪オンライン相談窓口"))
    w.closure = desk_actions.add_closure(w.chief_x, w.desk.pk, add_business_days(w.today, 15), "研修のため")
    ShokokaiMember.objects.create(organisation=w.org_k, company=w.company_a, added_by=w.adviser_k)
    w.member = ShokokaiMember.objects.get(organisation=w.org_k, company=w.company_a)
    theme = Specialty.objects.get(name="資金繰り・財務")
    # Sessions on the last business day (held: record one, mark a no-show) and one two business days ahead.
    held = past_business_day()
    before = at(held, 8) - datetime.timedelta(days=1)
    desk_actions.sign_up(w.desk_x, w.desk.pk, held, datetime.time(9, 30), datetime.time(15, 30), now=before)
    w.booking_held = desk_actions.book(w.sme_a, w.desk.pk, w.company_a.pk, at(held, 10, 30), {
        "channel": Channel.PHONE, "theme": theme, "description": "資金繰り表の作り方を知りたい。", "source": Source.NEWSPAPER,
    }, now=before)
    # Another session that day, already written up by the consultant as a consultation record.
    w.booking_done = desk_actions.book(w.sme_a, w.desk.pk, w.company_a.pk, at(held, 12, 30), {
        "channel": Channel.PHONE, "theme": theme, "description": "販路の相談。", "source": Source.WEB,
    }, now=before)
    w.desk_consultation = desk_actions.record_session(w.desk_x, w.booking_done.pk, None, {
        "topics": [theme], "problem": "販路を広げたい。", "outcome": "continue", "attendees_note": "代表者",
    })
    day = add_business_days(w.today, 2)
    desk_actions.sign_up(w.desk_x, w.desk.pk, day, datetime.time(9, 30), datetime.time(15, 30))
    w.booking = desk_actions.book(w.sme_a, w.desk.pk, w.company_a.pk, at(day, 10, 30), {
        "channel": Channel.WEB, "theme": theme, "description": "来月の資金繰りが厳しい。", "source": Source.RADIO,
    })
    w.booking_token = desk_actions.token_for(w.booking)
    w.slot_free = at(day, 13, 30).strftime("%Y-%m-%dT%H:%M")
    # A shift with no booking in it (withdrawn), and a day dskX has not signed up for (signed up).
    shifts, _ = desk_actions.sign_up(w.desk_x, w.desk.pk, add_business_days(w.today, 3), datetime.time(9, 30),
                                     datetime.time(12, 30))
    w.shift_free = shifts[0]
    w.shift_day = add_business_days(w.today, 4)


def _governance(w):
    from governance import actions as gov_actions
    from governance import sampling
    from governance.models import FollowUp, Survey, Training, hash_token

    gov_actions.save_policy(w.hq, w.fy, "活動方針", "相談対応の質を高める。", publish=True)
    plan = gov_actions.save_plan(w.chief_x, w.org_x, w.fy, {
        "needs_analysis": "製造業の後継者不足。", "plan_text": "事業承継の相談を増やす。", "target_consultations": 100,
        "target_visitors": 50, "target_solved": 20, "target_network": 10,
    })
    w.focus = gov_actions.add_focus_area(w.chief_x, plan.pk, "事業承継", list(Specialty.objects.all()[:1]), 10)
    w.plan = gov_actions.submit_plan(w.chief_x, plan.pk)
    visit_ = gov_actions.record_visit(w.hq, w.org_x, {
        "visited_on": w.today, "observations": "相談の記録が丁寧。", "advice": "ネットワーク活動を増やすこと。",
        "follow_ups": ["商工会との連絡会を開く"],
    })
    w.follow_up_item = visit_.follow_ups.get()
    w.rating = gov_actions.compute_rating(w.hq, w.org_x, w.fy)
    w.specialty = Specialty.objects.get(name="販路開拓・マーケティング")
    w.training = gov_actions.create_training(w.hq, {"kind": Training.Kind.OJT, "title": "OJT研修", "held_on": w.today})
    w.audit_sample = sampling.draw_audit_sample(w.hq, w.fy, 100, "matrix")
    w.audit_item = w.audit_sample.items.order_by("pk").first()
    w.survey_token, w.outcome_token = "survey-token-matrix", "outcome-token-matrix"
    expires = timezone.now() + datetime.timedelta(days=30)
    Survey.objects.create(source_kind="consultation", source_id=w.consultation.pk, organisation=w.org_x, company=w.company_a,
                          fiscal_year=w.fy, source_date=w.today, sampled=True, token_hash=hash_token(w.survey_token),
                          sent_at=timezone.now(), expires_at=expires)
    FollowUp.objects.create(source_kind="consultation", source_id=w.consultation.pk, months=6, organisation=w.org_x,
                            company=w.company_a, base_date=w.today, fiscal_year=w.fy, token_hash=hash_token(w.outcome_token),
                            sent_at=timezone.now(), expires_at=expires)


def _mail(w):
    from notifications.inbound import ingest
    from tests.notifications.inbound_builders import build_mail

    raw = build_mail("写真を送ります", sender=w.sme_a.email, attachments=[("IMG_0001.JPG", jpeg_bytes(), "image/jpeg")])
    w.mail = ingest(raw).mail


def _accounts(w):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from accounts.tokens import make_verify_token
    from companies.actions import invite_member

    w.verify_token = make_verify_token(w.sme_a, w.sme_a.email)
    # A reset link of someone who is not a persona (logging a persona in would change its token).
    w.reset_uid = urlsafe_base64_encode(force_bytes(w.applicant.pk))
    w.reset_token = default_token_generator.make_token(w.applicant)
    # Company A invites sme_b: the link works only for the invited address.
    w.invitation = invite_member(w.sme_a, w.company_a, w.sme_b.email)


def _api_token(user):
    from api.actions import create_token

    return create_token(user, "アクセス表")[1]
