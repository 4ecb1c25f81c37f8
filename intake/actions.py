"""Every change of an expert request: lock, check, write state + timeline + audit, queue mail."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import RoleGrant, User
from accounts.roles import Role
from core import audit
from core.records import in_japanese
from directory.models import ExpertProfile
from notifications.mail import queue_mail

from . import rules, stats
from .models import ExpertRequest, RequestEvent

State = ExpertRequest.State


class IntakeError(Exception):
    """A rule refused the change; the message is shown to the user as is."""


# Recipients ---------------------------------------------------------------------------------------

def _grant_emails(**filters):
    return list(
        User.objects.filter(
            is_active=True, role_grants__status=RoleGrant.Status.APPROVED, **filters
        ).values_list("email", flat=True).distinct()
    )


def organisation_emails(org, roles=(Role.COORDINATOR, Role.CHIEF)):
    emails = _grant_emails(role_grants__organisation=org, role_grants__role__in=list(roles))
    if org.email:
        emails.append(org.email)
    return emails


def bureau_emails(org):
    return _grant_emails(role_grants__role=Role.BUREAU, role_grants__bureau_id=org.prefecture.bureau_id)


def company_emails(req):
    return list(req.company.memberships.filter(user__is_active=True).values_list("user__email", flat=True))


def _mail(to, template, req, **extra):
    if to:
        queue_mail(to, template, {"req": req, **extra})


# Helpers ------------------------------------------------------------------------------------------

def _lock(pk):
    return ExpertRequest.objects.select_for_update().select_related(
        "organisation", "organisation__prefecture", "company", "expert"
    ).get(pk=pk)


def _event(req, kind, actor, from_state, reason="", at=None):
    return RequestEvent.objects.create(
        request=req, kind=kind, actor=actor if actor and actor.is_authenticated else None,
        at=at or timezone.now(), from_state=from_state, to_state=req.state, reason=reason,
    )


def _require_open(req):
    if req.state != State.SUBMITTED:
        raise IntakeError(
            _("この相談依頼は既に「%(state)s」になっているため、操作できません。") % {"state": req.get_state_display()}
        )


# Transitions --------------------------------------------------------------------------------------

@transaction.atomic
def submit_request(actor, company, expert, organisation, problem, preferred_channel, request=None, now=None):
    """An SME member asks `organisation` for a consultation with `expert`; the 2-business-day clock starts."""
    now = now or timezone.now()
    if not company.memberships.filter(user=actor).exists():
        raise PermissionDenied
    if expert.status != ExpertProfile.Status.APPROVED:
        raise IntakeError(_("この専門家には現在依頼できません。"))
    if not organisation.is_active:
        raise IntakeError(_("この支援機関には現在依頼できません。"))
    problem = problem.strip()
    if not problem:
        raise IntakeError(_("相談したい課題を入力してください。"))
    req = ExpertRequest.objects.create(
        company=company, requested_by=actor, expert=expert, organisation=organisation, problem=problem,
        preferred_channel=preferred_channel, submitted_at=now,
        deadline_at=rules.answer_deadline(now, rules.ANSWER_BUSINESS_DAYS),
    )
    _event(req, RequestEvent.Kind.SUBMITTED, actor, "", at=now)
    audit.record(actor, "intake.submitted", req, {"organisation": str(organisation), "expert": str(expert)}, request=request)
    _mail(company_emails(req), "intake_submitted", req)
    _mail(organisation_emails(organisation), "intake_new", req)
    return req


@transaction.atomic
def accept_request(actor, pk, appointment_at, channel, place="", note="", request=None, now=None):
    """The organisation accepts and proposes the consultation appointment."""
    now = now or timezone.now()
    req = _lock(pk)
    if req.organisation_id not in actor.organisation_ids():
        raise PermissionDenied
    _require_open(req)
    if appointment_at <= now:
        raise IntakeError(_("相談日時は現在より後の日時を指定してください。"))
    if channel == ExpertRequest.Channel.IN_PERSON and not place.strip():
        raise IntakeError(_("対面で相談する場合は場所を入力してください。"))
    before = req.state
    req.state = State.ACCEPTED
    req.first_response_at = req.first_response_at or now
    req.decided_by = actor
    req.appointment_at, req.appointment_channel = appointment_at, channel
    req.appointment_place, req.appointment_note = place.strip(), note.strip()
    req.save(update_fields=[
        "state", "first_response_at", "decided_by", "appointment_at", "appointment_channel",
        "appointment_place", "appointment_note", "updated_at",
    ])
    summary = f"{timezone.localtime(appointment_at):%Y-%m-%d %H:%M} {req.get_appointment_channel_display()} {req.appointment_place}"
    _event(req, RequestEvent.Kind.ACCEPTED, actor, before, reason=summary.strip(), at=now)
    audit.record(actor, "intake.accepted", req, {"state": [before, req.state], "appointment": summary}, request=request)
    stats.refresh_org_stats([req.organisation_id], now=now)
    _mail(company_emails(req), "intake_accepted", req)
    return req


@transaction.atomic
def decline_request(actor, pk, reason, request=None, now=None):
    """The organisation declines; a written reason is mandatory so the SME always knows why."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    req = _lock(pk)
    if req.organisation_id not in actor.organisation_ids():
        raise PermissionDenied
    _require_open(req)
    if not reason:
        raise IntakeError(_("お断りする場合は理由を必ず入力してください。"))
    before = req.state
    req.state = State.DECLINED
    req.first_response_at = req.first_response_at or now
    req.decided_by = actor
    req.decline_reason = reason
    req.save(update_fields=["state", "first_response_at", "decided_by", "decline_reason", "updated_at"])
    _event(req, RequestEvent.Kind.DECLINED, actor, before, reason=reason, at=now)
    audit.record(actor, "intake.declined", req, {"state": [before, req.state], "reason": reason}, request=request)
    stats.refresh_org_stats([req.organisation_id], now=now)
    _mail(company_emails(req), "intake_declined", req)
    return req


@transaction.atomic
def withdraw_request(actor, pk, reason="", request=None, now=None):
    """The SME withdraws a request that has not been answered yet."""
    now = now or timezone.now()
    req = _lock(pk)
    if not req.company.memberships.filter(user=actor).exists():
        raise PermissionDenied
    _require_open(req)
    before = req.state
    req.state = State.WITHDRAWN
    req.save(update_fields=["state", "updated_at"])
    _event(req, RequestEvent.Kind.WITHDRAWN, actor, before, reason=reason.strip(), at=now)
    audit.record(actor, "intake.withdrawn", req, {"state": [before, req.state]}, request=request)
    _mail(organisation_emails(req.organisation), "intake_withdrawn", req)
    _mail(company_emails(req), "intake_withdrawn_sme", req)
    return req


@transaction.atomic
def link_consultation(actor, pk, consultation_id, request=None):
    """The accepted request was held as consultation `consultation_id` (called by the consultations app)."""
    req = _lock(pk)
    if req.organisation_id not in actor.organisation_ids():
        raise PermissionDenied
    if req.state != State.ACCEPTED:
        raise IntakeError(_("受付済みの相談依頼だけを相談記録に引き継げます。"))
    if req.consultation_ref == consultation_id:
        return req
    req.consultation_ref = consultation_id
    req.save(update_fields=["consultation_ref", "updated_at"])
    _event(req, RequestEvent.Kind.CONSULTED, actor, req.state)
    audit.record(actor, "intake.consulted", req, {"consultation": consultation_id}, request=request)
    return req


# Escalation (manage.py escalate_requests) ---------------------------------------------------------

def escalation_due(req, now):
    """The escalation step an unanswered request should have reached at `now` (0, 1, 2), or 'expire'."""
    if rules.answer_deadline(req.submitted_at, rules.EXPIRY_BUSINESS_DAYS) < now:
        return "expire"
    if rules.answer_deadline(req.submitted_at, rules.BUREAU_BUSINESS_DAYS) < now:
        return ExpertRequest.Escalation.BUREAU
    if req.deadline_at < now:
        return ExpertRequest.Escalation.CHIEF
    return ExpertRequest.Escalation.NONE


@transaction.atomic
def escalate_one(pk, now=None):
    """Bring one request to the escalation step it is due for; returns the event kinds written.

    Idempotent: the row is locked and its step compared, so running twice writes nothing new.
    """
    now = now or timezone.now()
    req = _lock(pk)
    if req.state != State.SUBMITTED:
        return []
    due = escalation_due(req, now)
    target = ExpertRequest.Escalation.BUREAU if due == "expire" else due
    written = []
    if req.escalation < ExpertRequest.Escalation.CHIEF <= target:
        req.escalation = ExpertRequest.Escalation.CHIEF
        req.save(update_fields=["escalation", "updated_at"])
        written.append(_escalate(req, RequestEvent.Kind.ESCALATED_CHIEF, now))
    if req.escalation < ExpertRequest.Escalation.BUREAU <= target:
        req.escalation = ExpertRequest.Escalation.BUREAU
        req.save(update_fields=["escalation", "updated_at"])
        written.append(_escalate(req, RequestEvent.Kind.ESCALATED_BUREAU, now))
    if due == "expire":
        req.state = State.EXPIRED
        req.save(update_fields=["state", "updated_at"])
        _event(req, RequestEvent.Kind.EXPIRED, None, State.SUBMITTED, reason=in_japanese(gettext_noop("回答がないまま期限を過ぎました。")), at=now)
        audit.record(None, "intake.expired", req, {"state": [State.SUBMITTED, State.EXPIRED]})
        _mail(company_emails(req), "intake_expired", req)
        _mail(organisation_emails(req.organisation), "intake_expired", req)
        stats.refresh_org_stats([req.organisation_id], now=now)
        written.append(RequestEvent.Kind.EXPIRED)
    return written


def _escalate(req, kind, now):
    if kind == RequestEvent.Kind.ESCALATED_CHIEF:
        to = organisation_emails(req.organisation, roles=(Role.CHIEF,))
        reason = _("回答期限を過ぎたため、チーフコーディネーターに連絡しました。")
    else:
        to = bureau_emails(req.organisation)
        reason = _("回答がないため、経済産業局に連絡しました。")
    _event(req, kind, None, req.state, reason=reason, at=now)
    audit.record(None, f"intake.{kind}", req, {"escalation": req.escalation, "to": to})
    _mail(to, "intake_escalated", req, level=kind)
    _mail(company_emails(req), "intake_delayed", req, level=kind)
    return kind


def escalate_requests(now=None):
    """Escalate every overdue open request; returns {event kind: count}. Safe to run as often as wanted."""
    now = now or timezone.now()
    counts = {}
    candidates = ExpertRequest.objects.overdue(now).values_list("pk", flat=True)
    for pk in list(candidates):
        for kind in escalate_one(pk, now=now):
            counts[kind] = counts.get(kind, 0) + 1
    return counts
