"""Recording consultations and closing the loop of referrals: lock, write, audit, queue mail."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleGrant
from accounts.roles import ORG_ROLES
from companies.models import Membership
from core import audit
from notifications.mail import queue_mail

from .models import Consultation, Referral


def organisation_emails(organisation):
    """Where an organisation is reached: its approved staff and its own address."""
    emails = list(
        RoleGrant.objects.filter(
            organisation=organisation, role__in=ORG_ROLES, status=RoleGrant.Status.APPROVED, user__is_active=True
        ).values_list("user__email", flat=True)
    )
    if organisation.email:
        emails.append(organisation.email)
    return list(dict.fromkeys(emails))


def _require_staff(actor, organisation_id, roles=ORG_ROLES):
    if organisation_id not in actor.organisation_ids(roles):
        raise PermissionDenied


@transaction.atomic
def record_consultation(actor, organisation, company, data, request=None, roles=ORG_ROLES):
    """Record a consultation for `company` by `organisation` (also called by intake when a request is accepted).

    data: held_on, channel, problem, outcome, topics (specialties); optional staff (default actor),
    sme_members (must be members of the company), attendees_note, next_steps, photo (already sanitised
    through core.images.sanitize_image), refer_to + referral_note when the outcome is a referral.
    roles: the actor's roles at the organisation that may record (the online desk adds its consultants).
    """
    _require_staff(actor, organisation.pk, roles)
    members = list(data.get("sme_members") or [])
    member_ids = set(Membership.objects.filter(company=company).values_list("user_id", flat=True))
    if any(m.pk not in member_ids for m in members):
        raise ValidationError(_("相談者には、その事業者の担当者を選んでください。"))
    consultation = Consultation(
        organisation=organisation, company=company, held_on=data["held_on"], channel=data["channel"],
        staff=data.get("staff") or actor, attendees_note=data.get("attendees_note", ""), problem=data["problem"],
        outcome=data["outcome"], next_steps=data.get("next_steps", ""), created_by=actor,
    )
    if data.get("photo"):
        consultation.photo.save(data["photo"].name, data["photo"], save=False)
    consultation.save()
    consultation.topics.set(data["topics"])
    consultation.sme_members.set(members)
    audit.record(actor, "consultation.recorded", consultation, {
        "company": company.name, "channel": consultation.channel, "outcome": consultation.outcome,
        "photo": bool(consultation.photo),
    }, request=request)
    if data.get("refer_to"):
        _refer(actor, consultation, data["refer_to"], data.get("referral_note", ""), request)
    return consultation


@transaction.atomic
def attach_photo(actor, consultation_id, photo, request=None):
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    _require_staff(actor, consultation.organisation_id)
    if consultation.photo:
        consultation.photo.delete(save=False)
    consultation.photo.save(photo.name, photo, save=False)
    consultation.save(update_fields=["photo", "updated_at"])
    audit.record(actor, "consultation.photo_attached", consultation, request=request)
    return consultation


@transaction.atomic
def refer(actor, consultation_id, to_organisation, note, request=None):
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    _require_staff(actor, consultation.organisation_id)
    return _refer(actor, consultation, to_organisation, note, request)


def _refer(actor, consultation, to_organisation, note, request):
    if to_organisation.pk == consultation.organisation_id:
        raise ValidationError(_("紹介先には、別の支援機関を選んでください。"))
    if not note.strip():
        raise ValidationError(_("紹介の内容を入力してください。"))
    referral = Referral.objects.create(
        consultation=consultation, from_organisation=consultation.organisation, to_organisation=to_organisation,
        note=note, created_by=actor,
    )
    if consultation.outcome != Consultation.Outcome.REFERRED:
        consultation.outcome = Consultation.Outcome.REFERRED
        consultation.save(update_fields=["outcome", "updated_at"])
    audit.record(actor, "referral.created", referral, {"to": to_organisation.name}, request=request)
    recipients = organisation_emails(to_organisation)
    if recipients:
        queue_mail(recipients, "consultation_referral", {"referral": referral, "consultation": consultation})
    return referral


def _receiver_referral(actor, referral_id):
    referral = Referral.objects.select_for_update().select_related("consultation", "from_organisation").get(pk=referral_id)
    _require_staff(actor, referral.to_organisation_id)
    return referral


@transaction.atomic
def accept_referral(actor, referral_id, request=None):
    referral = _receiver_referral(actor, referral_id)
    if referral.status != Referral.Status.OPEN:
        raise ValidationError(_("この紹介はすでに受け付けられています。"))
    referral.status = Referral.Status.ACCEPTED
    referral.answered_by, referral.answered_at = actor, timezone.now()
    referral.save(update_fields=["status", "answered_by", "answered_at"])
    audit.record(actor, "referral.accepted", referral, request=request)
    return referral


@transaction.atomic
def close_referral(actor, referral_id, result, request=None):
    referral = _receiver_referral(actor, referral_id)
    if referral.status == Referral.Status.CLOSED:
        raise ValidationError(_("この紹介はすでに完了しています。"))
    if not result.strip():
        raise ValidationError(_("紹介先での対応結果を入力してください。"))
    old = referral.status
    referral.status = Referral.Status.CLOSED
    referral.result = result
    referral.closed_at = timezone.now()
    if referral.answered_at is None:
        referral.answered_by, referral.answered_at = actor, referral.closed_at
    referral.save(update_fields=["status", "result", "closed_at", "answered_by", "answered_at"])
    audit.record(actor, "referral.closed", referral, {"status": [old, referral.status]}, request=request)
    recipients = organisation_emails(referral.from_organisation)
    if recipients:
        queue_mail(recipients, "consultation_referral_closed", {"referral": referral})
    return referral


def record_photo_view(actor, consultation, request=None):
    """Every read of a face photo is audited (SPEC §8)."""
    audit.record(actor, "consultation.photo_viewed", consultation, request=request)


@transaction.atomic
def record_consultation_for_request(actor, expert_request, data, request=None):
    """Record the consultation an accepted 「この専門家に相談したい」 request led to, and link the two
    (intake keeps the request's timeline); either both are written or neither."""
    from intake import actions as intake_actions

    consultation = record_consultation(actor, expert_request.organisation, expert_request.company, data, request=request)
    try:
        intake_actions.link_consultation(actor, expert_request.pk, consultation.pk, request=request)
    except intake_actions.IntakeError as error:
        raise ValidationError(str(error)) from None
    return consultation
