"""Every state change of centre governance: check the rule, lock the row, write, audit, queue mail."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleGrant
from accounts.roles import Role
from core import audit
from core.dates import fiscal_year
from directory.models import Organisation
from notifications.mail import queue_mail

from . import access, aggregates, scoring
from .models import (
    ActivityPolicy, AuditSampleItem, CentrePlan, ChecklistItem, FocusArea, FollowUp, GovernanceYear, Hearing,
    HearingScore, HQVisit, NetworkActivity, OrgEvaluation, Rating, StaffQualification, Survey, Training,
    TrainingAttendance, VisitFollowUp, hash_token,
)
from .years import governance_year_for


class Refused(Exception):
    """A rule refuses the action; `reasons` are Japanese sentences shown to the user."""

    def __init__(self, *reasons):
        self.reasons = [r for r in reasons if r]
        super().__init__(" ".join(self.reasons))


def _require(condition):
    if not condition:
        raise Refused(_("この操作を行う権限がありません。"))


def _emails(grants):
    return list(dict.fromkeys(grants.filter(status=RoleGrant.Status.APPROVED, user__is_active=True).values_list("user__email", flat=True)))


def chief_emails(organisation_id):
    return _emails(RoleGrant.objects.filter(role=Role.CHIEF, organisation_id=organisation_id))


def bureau_emails(bureau_id):
    return _emails(RoleGrant.objects.filter(role=Role.BUREAU, bureau_id=bureau_id))


# ---- settings and policy --------------------------------------------------------------------------

SETTINGS_FIELDS = [
    "survey_sample_percent", "survey_window_days", "link_valid_days", "sampling_seed", "audit_sample_percent",
    "followup_grace_days", "weight_indicators", "weight_survey", "weight_org_evaluation", "weight_hearing",
    "grade_s_min", "grade_a_min", "grade_b_min",
]


@transaction.atomic
def update_settings(actor, fy, data, request=None):
    _require(access.is_hq(actor))
    if sum(data[f] for f in ("weight_indicators", "weight_survey", "weight_org_evaluation", "weight_hearing")) <= 0:
        raise Refused(_("評価の重みの合計を1以上にしてください。"))
    if not data["grade_s_min"] >= data["grade_a_min"] >= data["grade_b_min"]:
        raise Refused(_("評価の下限は S ≧ A ≧ B の順にしてください。"))
    year = GovernanceYear.objects.select_for_update().get(pk=governance_year_for(fy).pk)
    before = audit.snapshot(year, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        setattr(year, name, data[name])
    year.updated_by = actor
    year.save(update_fields=[*SETTINGS_FIELDS, "updated_by", "updated_at"])
    audit.record(actor, "governance.settings_updated", year, audit.diff(before, audit.snapshot(year, SETTINGS_FIELDS)), request=request)
    return year


@transaction.atomic
def save_policy(actor, fy, title, body, publish=False, request=None):
    _require(access.is_hq(actor))
    if not title.strip() or not body.strip():
        raise Refused(_("表題と活動方針を入力してください。"))
    policy, _created = ActivityPolicy.objects.select_for_update().get_or_create(
        fiscal_year=fy, defaults={"title": title, "body": body}
    )
    policy.title, policy.body = title, body
    newly_published = publish and policy.published_at is None
    if newly_published:
        policy.published_at, policy.published_by = timezone.now(), actor
    policy.save()
    audit.record(actor, "governance.policy_published" if newly_published else "governance.policy_saved", policy,
                 {"title": title}, request=request)
    if newly_published:
        recipients = _emails(RoleGrant.objects.filter(role=Role.CHIEF, organisation__kind=access.CENTRE))
        if recipients:
            queue_mail(recipients, "governance_policy_published", {"policy": policy})
    return policy


# ---- the centre's plan ----------------------------------------------------------------------------

PLAN_FIELDS = ["needs_analysis", "plan_text", "target_consultations", "target_visitors", "target_solved", "target_network"]


def _lock_plan(plan_id):
    return CentrePlan.objects.select_for_update(of=("self",)).select_related("organisation__prefecture").get(pk=plan_id)


def _refuse_locked(plan):
    if plan.is_locked:
        raise Refused(_("この事業計画は期初面談を経て確定しているため、変更できません。"))


@transaction.atomic
def save_plan(actor, organisation, fy, data, request=None):
    """Create or edit the centre's plan (chief only). Editing a submitted plan takes it back to draft."""
    _require(access.is_chief_of(actor, organisation.pk))
    plan, _created = CentrePlan.objects.get_or_create(organisation=organisation, fiscal_year=fy, defaults={"created_by": actor})
    plan = _lock_plan(plan.pk)
    _refuse_locked(plan)
    before = audit.snapshot(plan, PLAN_FIELDS + ["status"])
    for name in PLAN_FIELDS:
        setattr(plan, name, data[name])
    if plan.status == CentrePlan.Status.SUBMITTED:
        plan.status = CentrePlan.Status.DRAFT
    plan.save(update_fields=[*PLAN_FIELDS, "status", "updated_at"])
    audit.record(actor, "governance.plan_saved", plan, audit.diff(before, audit.snapshot(plan, PLAN_FIELDS + ["status"])),
                 request=request)
    aggregates.refresh_bucket(organisation.pk, fy)
    return plan


@transaction.atomic
def add_focus_area(actor, plan_id, name, specialties, target, description="", request=None):
    plan = _lock_plan(plan_id)
    _require(access.is_chief_of(actor, plan.organisation_id))
    _refuse_locked(plan)
    if not name.strip() or not specialties:
        raise Refused(_("重点分野の名称と、実績として数える相談分野を入力してください。"))
    area = FocusArea.objects.create(plan=plan, name=name, target=target, description=description)
    area.specialties.set(specialties)
    if plan.status == CentrePlan.Status.SUBMITTED:
        plan.status = CentrePlan.Status.DRAFT
        plan.save(update_fields=["status", "updated_at"])
    audit.record(actor, "governance.focus_added", plan, {"focus": name, "target": target}, request=request)
    aggregates.refresh_bucket(plan.organisation_id, plan.fiscal_year)
    return area


@transaction.atomic
def remove_focus_area(actor, focus_id, request=None):
    area = FocusArea.objects.select_related("plan").get(pk=focus_id)
    plan = _lock_plan(area.plan_id)
    _require(access.is_chief_of(actor, plan.organisation_id))
    _refuse_locked(plan)
    audit.record(actor, "governance.focus_removed", plan, {"focus": area.name}, request=request)
    area.delete()
    return plan


def plan_refusals(plan):
    reasons = []
    policy = ActivityPolicy.objects.filter(fiscal_year=plan.fiscal_year, published_at__isnull=False).exists()
    if not policy:
        reasons.append(_("全国本部の活動方針がまだ公表されていません。"))
    if not plan.needs_analysis.strip():
        reasons.append(_("地域の中小企業・支援の実状とニーズの分析を入力してください。"))
    if not plan.plan_text.strip():
        reasons.append(_("事業計画を入力してください。"))
    if not all(plan.targets().values()):
        reasons.append(_("4つの活動指標すべてに目標を設定してください。"))
    if not plan.focus_areas.exists():
        reasons.append(_("重点分野を1つ以上設定してください。"))
    return reasons


@transaction.atomic
def submit_plan(actor, plan_id, request=None):
    plan = _lock_plan(plan_id)
    _require(access.is_chief_of(actor, plan.organisation_id))
    _refuse_locked(plan)
    if plan.status == CentrePlan.Status.SUBMITTED:
        raise Refused(_("この事業計画はすでに提出されています。"))
    reasons = plan_refusals(plan)
    if reasons:
        raise Refused(*reasons)
    plan.status, plan.submitted_at, plan.returned_reason = CentrePlan.Status.SUBMITTED, timezone.now(), ""
    plan.save(update_fields=["status", "submitted_at", "returned_reason", "updated_at"])
    audit.record(actor, "governance.plan_submitted", plan, {"status": ["draft", "submitted"]}, request=request)
    recipients = bureau_emails(plan.organisation.prefecture.bureau_id)
    if recipients:
        queue_mail(recipients, "governance_plan_submitted", {"plan": plan})
    return plan


def _bureau_plan(actor, plan_id):
    plan = _lock_plan(plan_id)
    _require(access.is_bureau_of(actor, plan.organisation) or actor.has_role(Role.ADMIN))
    _refuse_locked(plan)
    if plan.status != CentrePlan.Status.SUBMITTED:
        raise Refused(_("提出された事業計画だけを確定・差戻しできます。"))
    return plan


@transaction.atomic
def confirm_plan(actor, plan_id, interview_on, interview_notes, request=None):
    """The start-of-year interview (期初面談) recorded by the bureau confirms and locks the plan."""
    plan = _bureau_plan(actor, plan_id)
    if not interview_notes.strip():
        raise Refused(_("期初面談の記録を入力してください。"))
    if interview_on > timezone.localdate():
        raise Refused(_("期初面談の日に未来の日付は指定できません。"))
    plan.status, plan.interview_on, plan.interview_notes = CentrePlan.Status.CONFIRMED, interview_on, interview_notes
    plan.confirmed_at, plan.confirmed_by = timezone.now(), actor
    plan.save(update_fields=["status", "interview_on", "interview_notes", "confirmed_at", "confirmed_by", "updated_at"])
    audit.record(actor, "governance.plan_confirmed", plan, {"status": ["submitted", "confirmed"]}, request=request)
    recipients = chief_emails(plan.organisation_id)
    if recipients:
        queue_mail(recipients, "governance_plan_confirmed", {"plan": plan})
    return plan


@transaction.atomic
def return_plan(actor, plan_id, reason, request=None):
    plan = _bureau_plan(actor, plan_id)
    if not reason.strip():
        raise Refused(_("差戻しの理由を入力してください。"))
    plan.status, plan.returned_reason = CentrePlan.Status.DRAFT, reason
    plan.save(update_fields=["status", "returned_reason", "updated_at"])
    audit.record(actor, "governance.plan_returned", plan, {"status": ["submitted", "draft"], "reason": reason}, request=request)
    recipients = chief_emails(plan.organisation_id)
    if recipients:
        queue_mail(recipients, "governance_plan_returned", {"plan": plan})
    return plan


# ---- during the year ------------------------------------------------------------------------------

@transaction.atomic
def record_visit(actor, organisation, data, request=None):
    """HQ's visit with advice; each line of `follow_ups` becomes a follow-up item the centre answers."""
    _require(access.is_hq(actor))
    if data["visited_on"] > timezone.localdate():
        raise Refused(_("訪問日に未来の日付は指定できません。"))
    visit = HQVisit.objects.create(
        organisation=organisation, fiscal_year=fiscal_year(data["visited_on"]), visited_on=data["visited_on"],
        visitor=actor, sat_in_consultations=data.get("sat_in_consultations") or 0,
        observations=data["observations"], advice=data["advice"],
    )
    for line in data.get("follow_ups", []):
        VisitFollowUp.objects.create(visit=visit, action=line[:200], due_on=data.get("follow_up_due"))
    audit.record(actor, "governance.visit_recorded", visit, {"follow_ups": len(data.get("follow_ups", []))}, request=request)
    recipients = chief_emails(organisation.pk)
    if recipients:
        queue_mail(recipients, "governance_visit_recorded", {"visit": visit, "follow_ups": visit.follow_ups.all()})
    return visit


@transaction.atomic
def complete_follow_up(actor, follow_up_id, result, request=None):
    item = VisitFollowUp.objects.select_for_update(of=("self",)).select_related("visit").get(pk=follow_up_id)
    _require(access.is_staff_of(actor, item.visit.organisation_id) or access.is_hq(actor))
    if item.status == VisitFollowUp.Status.DONE:
        raise Refused(_("このフォロー事項はすでに対応済みです。"))
    if not result.strip():
        raise Refused(_("対応結果を入力してください。"))
    item.status, item.result, item.done_at, item.done_by = VisitFollowUp.Status.DONE, result, timezone.now(), actor
    item.save(update_fields=["status", "result", "done_at", "done_by"])
    audit.record(actor, "governance.follow_up_done", item, {"result": result}, request=request)
    return item


@transaction.atomic
def create_training(actor, data, request=None):
    _require(access.is_hq(actor))
    if data["kind"] == Training.Kind.BLOCK and not data.get("bureau"):
        raise Refused(_("ブロック研修は対象のブロック（経済産業局）を選んでください。"))
    training = Training.objects.create(
        kind=data["kind"], title=data["title"], held_on=data["held_on"], fiscal_year=fiscal_year(data["held_on"]),
        place=data.get("place", ""), bureau=data.get("bureau"), created_by=actor,
    )
    audit.record(actor, "governance.training_created", training, {"title": training.title}, request=request)
    return training


@transaction.atomic
def record_attendance(actor, training_id, organisation, users, request=None):
    """The chief records which of the centre's staff attended (HQ may record for any centre)."""
    training = Training.objects.select_for_update().get(pk=training_id)
    _require(access.is_chief_of(actor, organisation.pk) or access.is_hq(actor))
    staff_ids = set(RoleGrant.objects.filter(
        organisation=organisation, role__in=[Role.CHIEF, Role.COORDINATOR], status=RoleGrant.Status.APPROVED
    ).values_list("user_id", flat=True))
    if any(u.pk not in staff_ids for u in users):
        raise Refused(_("受講者には、この拠点の職員を選んでください。"))
    if training.held_on > timezone.localdate():
        raise Refused(_("実施前の研修には受講を記録できません。"))
    existing = set(training.attendances.values_list("user_id", flat=True))
    created = [TrainingAttendance(training=training, user=u, organisation=organisation, recorded_by=actor)
               for u in users if u.pk not in existing]
    TrainingAttendance.objects.bulk_create(created)
    audit.record(actor, "governance.attendance_recorded", training, {"organisation": organisation.name,
                 "attendees": [u.name for u in users]}, request=request)
    return len(created)


@transaction.atomic
def log_network_activity(actor, organisation, data, request=None):
    _require(access.is_staff_of(actor, organisation.pk))
    if data["held_on"] > timezone.localdate():
        raise Refused(_("実施日に未来の日付は指定できません。"))
    activity = NetworkActivity.objects.create(
        organisation=organisation, held_on=data["held_on"], fiscal_year=fiscal_year(data["held_on"]),
        staff=data.get("staff") or actor, partner_kind=data["partner_kind"], partner_name=data["partner_name"],
        purpose=data["purpose"], note=data.get("note", ""), created_by=actor,
    )
    audit.record(actor, "governance.network_logged", activity, {"partner": activity.partner_name}, request=request)
    aggregates.refresh_bucket(organisation.pk, activity.fiscal_year)
    return activity


@transaction.atomic
def set_staff_qualifications(actor, qualifications, request=None):
    """Self-reported: the staff member's own list replaces the previous one."""
    _require(actor.has_role(Role.CHIEF, Role.COORDINATOR))
    wanted = {q.pk for q in qualifications}
    current = set(StaffQualification.objects.filter(user=actor).values_list("qualification_id", flat=True))
    StaffQualification.objects.filter(user=actor, qualification_id__in=current - wanted).delete()
    StaffQualification.objects.bulk_create([StaffQualification(user=actor, qualification_id=pk) for pk in wanted - current])
    audit.record(actor, "governance.qualifications_reported", actor, {"qualifications": sorted(q.name for q in qualifications)},
                 request=request)


# ---- year end -------------------------------------------------------------------------------------

@transaction.atomic
def record_hearing(actor, organisation, fy, data, scores, request=None):
    """scores: {ChecklistItem id: (score, comment)} for every item of the year's checklist."""
    _require(access.is_hq(actor))
    governance_year_for(fy)
    items = {i.pk: i for i in ChecklistItem.objects.filter(fiscal_year=fy)}
    if set(items) - set(scores):
        raise Refused(_("すべての確認項目を採点してください。"))
    for pk, (score, _comment) in scores.items():
        if pk not in items or not 0 <= score <= items[pk].max_score:
            raise Refused(_("点数は0から配点までの範囲で入力してください。"))
    hearing, _created = Hearing.objects.select_for_update().get_or_create(
        organisation=organisation, fiscal_year=fy,
        defaults={"held_on": data["held_on"], "interviewer": actor},
    )
    hearing.held_on, hearing.interviewer = data["held_on"], actor
    hearing.own_initiatives, hearing.notes = data.get("own_initiatives", ""), data.get("notes", "")
    hearing.save()
    HearingScore.objects.filter(hearing=hearing).delete()
    HearingScore.objects.bulk_create([
        HearingScore(hearing=hearing, item_id=pk, score=score, comment=comment[:200]) for pk, (score, comment) in scores.items()
    ])
    audit.record(actor, "governance.hearing_recorded", hearing, {"total": sum(s for s, _c in scores.values())}, request=request)
    return hearing


@transaction.atomic
def submit_org_evaluation(actor, evaluator, fy, score, comment, request=None):
    """A local support organisation evaluates its prefecture's centre (one evaluation per year, editable)."""
    _require(access.is_staff_of(actor, evaluator.pk) and evaluator.kind != access.CENTRE)
    centre = Organisation.objects.filter(kind=access.CENTRE, prefecture_id=evaluator.prefecture_id).order_by("pk").first()
    if centre is None:
        raise Refused(_("この都道府県のよろず支援拠点が登録されていません。"))
    if not 1 <= score <= 5:
        raise Refused(_("評価は1から5で選んでください。"))
    evaluation, _created = OrgEvaluation.objects.update_or_create(
        centre=centre, fiscal_year=fy, evaluator=evaluator,
        defaults={"score": score, "comment": comment, "submitted_by": actor},
    )
    audit.record(actor, "governance.org_evaluated", evaluation, {"score": score}, request=request)
    return evaluation


@transaction.atomic
def compute_rating(actor, organisation, fy, request=None):
    """HQ computes the year's rating from the records; the component scores are kept as computed."""
    _require(access.is_hq(actor))
    year = governance_year_for(fy)
    aggregates.refresh_bucket(organisation.pk, fy)  # the rating reads the records as they are now
    scores = scoring.centre_scores(organisation.pk, fy)
    overall = scoring.combine(scores, year.weights())
    grade = year.grade_for(overall)
    flagged = overall is not None and overall < year.grade_b_min
    rating = Rating.objects.select_for_update().filter(organisation=organisation, fiscal_year=fy).first()
    was_flagged = bool(rating and rating.flagged)
    values = {
        "indicator_score": scores["indicators"], "survey_score": scores["survey"],
        "org_evaluation_score": scores["org_evaluation"], "hearing_score": scores["hearing"],
        "overall": overall, "grade": grade, "flagged": flagged, "computed_at": timezone.now(), "computed_by": actor,
    }
    if rating is None:
        rating = Rating.objects.create(organisation=organisation, fiscal_year=fy, **values)
    else:
        for name, value in values.items():
            setattr(rating, name, value)
        rating.save()
    audit.record(actor, "governance.rating_computed", rating, {"overall": overall, "grade": grade, "flagged": flagged},
                 request=request)
    if flagged and not was_flagged:
        recipients = chief_emails(organisation.pk) + bureau_emails(organisation.prefecture.bureau_id)
        if recipients:
            queue_mail(recipients, "governance_rating_flagged", {"rating": rating})
    return rating


@transaction.atomic
def record_budget_effect(actor, rating_id, percent, amount, note, guidance_note="", request=None):
    _require(access.is_hq(actor))
    rating = Rating.objects.select_for_update().get(pk=rating_id)
    if not note.strip():
        raise Refused(_("予算反映の説明を入力してください。"))
    rating.budget_change_percent, rating.budget_amount, rating.budget_note = percent, amount, note
    rating.guidance_note = guidance_note
    rating.budget_recorded_at = timezone.now()
    rating.save(update_fields=["budget_change_percent", "budget_amount", "budget_note", "guidance_note", "budget_recorded_at"])
    audit.record(actor, "governance.budget_recorded", rating, {"percent": str(percent), "amount": amount}, request=request)
    return rating


# ---- audit sampling -------------------------------------------------------------------------------

@transaction.atomic
def check_audit_item(actor, item_id, result, note, request=None):
    _require(access.is_national(actor))
    item = AuditSampleItem.objects.select_for_update().get(pk=item_id)
    if result not in (AuditSampleItem.Result.OK, AuditSampleItem.Result.ISSUE):
        raise Refused(_("確認結果を選んでください。"))
    if result == AuditSampleItem.Result.ISSUE and not note.strip():
        raise Refused(_("要改善のときは確認メモを入力してください。"))
    item.result, item.note, item.checked_at, item.checked_by = result, note, timezone.now(), actor
    item.save(update_fields=["result", "note", "checked_at", "checked_by"])
    audit.record(actor, "governance.audit_item_checked", item, {"result": result}, request=request)
    return item


# ---- answers from SMEs (single-use links) ---------------------------------------------------------

class LinkUnusable(Exception):
    """The link is unknown, used or expired; the message says which."""


def _by_token(model, token, now, lock=True):
    rows = model.objects.select_for_update() if lock else model.objects.select_related("organisation", "company")
    row = rows.filter(token_hash=hash_token(token or "")).first()
    if row is None:
        raise LinkUnusable(_("このリンクは無効です。メールに記載されたリンクをもう一度ご確認ください。"))
    if row.responded_at is not None:
        raise LinkUnusable(_("このアンケートにはすでに回答いただいています。ご協力ありがとうございました。"))
    if row.expires_at and row.expires_at < now:
        raise LinkUnusable(_("回答期限を過ぎたため、このリンクは使えません。"))
    return row


def survey_for_token(token, now=None):
    return _by_token(Survey, token, now or timezone.now(), lock=False)


@transaction.atomic
def answer_survey(token, data, now=None):
    now = now or timezone.now()
    survey = _by_token(Survey, token, now)
    survey.satisfaction, survey.usefulness = data["satisfaction"], data["usefulness"]
    survey.would_recommend, survey.comment = data["would_recommend"], data.get("comment", "")
    survey.responded_at = now
    survey.save(update_fields=["satisfaction", "usefulness", "would_recommend", "comment", "responded_at"])
    audit.record(None, "governance.survey_answered", survey, {"satisfaction": survey.satisfaction})
    aggregates.refresh_bucket(survey.organisation_id, survey.fiscal_year)
    return survey


def follow_up_for_token(token, now=None):
    return _by_token(FollowUp, token, now or timezone.now(), lock=False)


FOLLOWUP_FIELDS = ["problem_solved", "sales_trend", "annual_sales", "employees", "new_customers", "comment"]


@transaction.atomic
def answer_follow_up(token, data, now=None):
    now = now or timezone.now()
    follow_up = _by_token(FollowUp, token, now)
    for name in FOLLOWUP_FIELDS:
        setattr(follow_up, name, data.get(name))
    follow_up.comment = follow_up.comment or ""
    follow_up.responded_at = now
    follow_up.save(update_fields=[*FOLLOWUP_FIELDS, "responded_at"])
    audit.record(None, "governance.follow_up_answered", follow_up, {"problem_solved": follow_up.problem_solved})
    return follow_up
