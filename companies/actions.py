from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core import audit
from notifications.mail import queue_mail

from .models import Company, Invitation, Membership

FIELDS = [
    "legal_form", "corporate_number", "name", "name_kana", "representative", "industry", "prefecture",
    "municipality", "address", "phone", "capital", "employees", "founded_on",
]


@transaction.atomic
def register_company(actor, data, request=None):
    """Stage 2 of registration: the registering member becomes the company's owner."""
    if not actor.email_verified:
        raise PermissionDenied("email not verified")
    company = Company(**{name: data[name] for name in FIELDS})
    if company.legal_form == Company.LegalForm.SOLE:
        company.capital = data.get("capital")
    company.compute_sme_status()
    company.save()
    Membership.objects.create(company=company, user=actor, role=Membership.Role.OWNER)
    audit.record(actor, "company.registered", company, audit.snapshot(company, FIELDS), request=request)
    return company


@transaction.atomic
def update_company(actor, company_id, data, request=None):
    company = Company.objects.select_for_update(of=("self",)).get(pk=company_id, memberships__user=actor)
    before = audit.snapshot(company, FIELDS)
    for name in FIELDS:
        setattr(company, name, data[name])
    company.compute_sme_status()
    company.save()
    changes = audit.diff(before, audit.snapshot(company, FIELDS))
    if changes:
        audit.record(actor, "company.updated", company, changes, request=request)
    return company


@transaction.atomic
def invite_member(actor, company, email, request=None):
    if not Membership.objects.filter(company=company, user=actor, role=Membership.Role.OWNER).exists():
        raise PermissionDenied
    invitation = Invitation.objects.create(company=company, email=email.lower(), invited_by=actor)
    audit.record(actor, "company.member_invited", company, {"email": invitation.email}, request=request)
    queue_mail(invitation.email, "company_invitation", {"invitation": invitation, "company": company, "inviter": actor})
    return invitation


INVITATION_DAYS = 14


@transaction.atomic
def accept_invitation(actor, token, request=None):
    """Returns the membership, or None for an unknown, used, expired or mis-addressed invitation."""
    invitation = Invitation.objects.select_for_update().select_related("company").filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None:
        return None
    if (timezone.now() - invitation.created_at).days > INVITATION_DAYS:
        return None
    if invitation.email != actor.email.lower() or not actor.email_verified:
        return None
    membership, _ = Membership.objects.get_or_create(company=invitation.company, user=actor)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(actor, "company.member_joined", invitation.company, {"email": actor.email}, request=request)
    return membership
