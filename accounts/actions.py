"""State changes for accounts: each writes its audit event and queues its mail."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import audit
from notifications.mail import queue_mail

from .models import RoleGrant, User
from .roles import Role
from .tokens import make_verify_token, read_verify_token

# Roles granted at once; the others wait for approval.
SELF_SERVICE_ROLES = {Role.SME}


def send_verification(user, email=None, site_url=None):
    email = email or user.email
    url = reverse("accounts:verify_email", args=[make_verify_token(user, email)])
    queue_mail(email, "verify_email", {"user": user, "path": url, "email": email})


@transaction.atomic
def register_user(*, email, password, name, name_kana, role, organisation=None, request=None):
    user = User.objects.create_user(email=email, password=password, name=name, name_kana=name_kana)
    status = RoleGrant.Status.APPROVED if role in SELF_SERVICE_ROLES else RoleGrant.Status.PENDING
    grant = RoleGrant.objects.create(user=user, role=role, organisation=organisation, status=status)
    audit.record(
        user,
        "user.registered",
        user,
        {"email": user.email, "name": name, "role": role, "organisation": str(organisation or "")},
        request=request,
    )
    send_verification(user)
    if status == RoleGrant.Status.PENDING and organisation is not None:
        notify_approvers(grant)
    return user


def notify_approvers(grant):
    """Tell the organisation's chief coordinators (or, for the first chief, administrators)."""
    approvers = User.objects.filter(
        role_grants__role=Role.CHIEF,
        role_grants__organisation=grant.organisation,
        role_grants__status=RoleGrant.Status.APPROVED,
    )
    if not approvers.exists():
        approvers = User.objects.filter(role_grants__role=Role.ADMIN, role_grants__status=RoleGrant.Status.APPROVED)
    emails = list(approvers.values_list("email", flat=True).distinct())
    if emails:
        queue_mail(emails, "staff_pending", {"grant": grant})


@transaction.atomic
def verify_email(token):
    """Mark the address in the token verified. Returns the user, or None for a bad/stale link."""
    data = read_verify_token(token)
    if data is None:
        return None
    user_id, email = data
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        return None
    if user.pending_email and user.pending_email.lower() == email:
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            return None
        old = user.email
        user.email, user.pending_email = email, ""
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "pending_email", "email_verified_at"])
        audit.record(user, "user.email_changed", user, {"email": [old, email]})
        return user
    if user.email.lower() != email:
        return None
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit.record(user, "user.email_verified", user, {"email": email})
    return user


@transaction.atomic
def request_email_change(user, new_email, request=None):
    user.pending_email = new_email.lower()
    user.save(update_fields=["pending_email"])
    audit.record(user, "user.email_change_requested", user, {"pending_email": user.pending_email}, request=request)
    send_verification(user, user.pending_email)
    queue_mail(user.email, "email_change_notice", {"user": user, "new_email": user.pending_email})


@transaction.atomic
def update_profile(user, *, name, name_kana, phone, request=None):
    before = audit.snapshot(user, ["name", "name_kana", "phone"])
    user.name, user.name_kana, user.phone = name, name_kana, phone
    user.save(update_fields=["name", "name_kana", "phone"])
    changes = audit.diff(before, audit.snapshot(user, ["name", "name_kana", "phone"]))
    if changes:
        audit.record(user, "user.profile_updated", user, changes, request=request)


def can_decide(actor, grant):
    """Who approves a role: chiefs for their organisation's staff, the secretariat for experts,
    administrators for everything."""
    if actor.has_role(Role.ADMIN):
        return True
    if grant.role in (Role.COORDINATOR, Role.CHIEF, Role.DESK) and grant.organisation_id:
        return grant.organisation_id in actor.chief_organisation_ids() and grant.user_id != actor.pk
    if grant.role == Role.EXPERT:
        return actor.has_role(Role.SECRETARIAT)
    return False


@transaction.atomic
def decide_role(actor, grant_id, approve, reason="", request=None):
    # of=self: PostgreSQL cannot lock the nullable side of the organisation outer join.
    grant = RoleGrant.objects.select_for_update(of=("self",)).select_related("user", "organisation").get(pk=grant_id)
    if not can_decide(actor, grant):
        raise PermissionDenied
    if grant.status != RoleGrant.Status.PENDING:
        return grant  # already decided by someone else: first decision stands
    old = grant.status
    grant.status = RoleGrant.Status.APPROVED if approve else RoleGrant.Status.REJECTED
    grant.decided_by, grant.decided_at, grant.reason = actor, timezone.now(), reason
    grant.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit.record(actor, "role.decided", grant, {"status": [old, grant.status], "reason": reason}, request=request)
    queue_mail(grant.user.email, "role_decided", {"grant": grant})
    return grant


def pending_grants_for(actor):
    """Role requests the actor may decide (scoped queryset)."""
    qs = RoleGrant.objects.filter(status=RoleGrant.Status.PENDING).select_related("user", "organisation")
    if actor.has_role(Role.ADMIN):
        return qs.exclude(role=Role.EXPERT)
    return qs.filter(
        role__in=[Role.COORDINATOR, Role.CHIEF, Role.DESK], organisation_id__in=actor.chief_organisation_ids()
    ).exclude(user=actor)
