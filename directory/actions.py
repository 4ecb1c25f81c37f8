"""Writes to expert profiles: each with its audit event, in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleGrant
from accounts.roles import Role
from core import audit
from notifications.mail import queue_mail

from . import search
from .models import BankAccount, ExpertProfile, ExpertQualification

PROFILE_FIELDS = [
    "display_name", "display_name_kana", "headline", "bio", "career",
    "base_prefecture", "is_corporation", "invoice_number",
]
M2M_FIELDS = ["specialties", "industries", "areas"]


@transaction.atomic
def save_expert_profile(actor, data, request=None):
    """Create or update the actor's own expert profile."""
    expert = ExpertProfile.objects.select_for_update().filter(user=actor).first()
    created = expert is None
    if created:
        expert = ExpertProfile(user=actor)
        before = {}
    else:
        before = audit.snapshot(expert, PROFILE_FIELDS + M2M_FIELDS)
    for name in PROFILE_FIELDS:
        setattr(expert, name, data[name])
    if data.get("photo"):
        if expert.photo:
            expert.photo.delete(save=False)
        expert.photo.save(data["photo"].name, data["photo"], save=False)
    elif data.get("photo") is False and expert.photo:  # "clear" ticked
        expert.photo.delete(save=False)
    expert.save()
    for name in M2M_FIELDS:
        getattr(expert, name).set(data[name])
    _sync_qualifications(expert, data["qualifications"])
    RoleGrant.objects.get_or_create(user=actor, role=Role.EXPERT, organisation=None)
    changes = audit.diff(before, audit.snapshot(expert, PROFILE_FIELDS + M2M_FIELDS))
    if data.get("photo"):
        changes["photo"] = ["", "updated"]
    audit.record(actor, "expert.created" if created else "expert.updated", expert, changes, request=request)
    search.reindex_expert(expert.pk)  # keep the full-text index in step with the profile
    return expert


def _sync_qualifications(expert, qualifications):
    wanted = {q.pk for q in qualifications}
    expert.qualifications.exclude(qualification_id__in=wanted).delete()
    have = set(expert.qualifications.values_list("qualification_id", flat=True))
    ExpertQualification.objects.bulk_create(
        [ExpertQualification(expert=expert, qualification_id=pk) for pk in wanted - have]
    )


@transaction.atomic
def save_bank_account(actor, expert, data, request=None):
    if expert.user_id != actor.pk:
        raise PermissionDenied
    account = BankAccount.objects.select_for_update().filter(expert=expert).first() or BankAccount(expert=expert)
    fields = ["bank_code", "bank_name", "branch_code", "branch_name", "account_type", "account_number", "holder_kana"]
    before = audit.snapshot(account, fields) if account.pk else {}
    for name in fields:
        setattr(account, name, data[name])
    account.save()
    audit.record(actor, "expert.bank_account_saved", expert, audit.diff(before, audit.snapshot(account, fields)), request=request)
    return account


@transaction.atomic
def decide_expert(actor, expert_id, approve, reason="", request=None):
    if not actor.has_role(Role.SECRETARIAT, Role.ADMIN):
        raise PermissionDenied
    expert = ExpertProfile.objects.select_for_update().select_related("user").get(pk=expert_id)
    old = expert.status
    expert.status = ExpertProfile.Status.APPROVED if approve else ExpertProfile.Status.REJECTED
    expert.status_reason = reason
    expert.approved_at = timezone.now() if approve else None
    expert.save(update_fields=["status", "status_reason", "approved_at"])
    grant, _ = RoleGrant.objects.get_or_create(user=expert.user, role=Role.EXPERT, organisation=None)
    grant.status = RoleGrant.Status.APPROVED if approve else RoleGrant.Status.REJECTED
    grant.decided_by, grant.decided_at, grant.reason = actor, timezone.now(), reason
    grant.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit.record(actor, "expert.reviewed", expert, {"status": [old, expert.status], "reason": reason}, request=request)
    queue_mail(expert.user.email, "expert_reviewed", {"expert": expert})
    search.reindex_expert(expert.pk)
    return expert


@transaction.atomic
def set_qualification_verified(actor, qualification_id, verified, request=None):
    if not actor.has_role(Role.SECRETARIAT, Role.ADMIN):
        raise PermissionDenied
    item = ExpertQualification.objects.select_for_update().select_related("expert", "qualification").get(pk=qualification_id)
    item.verified_at = timezone.now() if verified else None
    item.verified_by = actor if verified else None
    item.save(update_fields=["verified_at", "verified_by"])
    audit.record(actor, "expert.qualification_verified" if verified else "expert.qualification_unverified",
                 item.expert, {"qualification": item.qualification.name}, request=request)
    return item
