"""Who may see which experts and organisations. Every view loads through these."""

from django.http import Http404

from accounts.roles import Role

from .models import ExpertProfile, Organisation


def expert_for_user(user):
    if not user.is_authenticated:
        return None
    return ExpertProfile.objects.filter(user=user).first()


def experts_visible_to(user):
    """Approved experts are public; others only to themselves and the secretariat."""
    qs = ExpertProfile.objects.all()
    if user.is_authenticated and user.has_role(Role.SECRETARIAT, Role.ADMIN, Role.HQ):
        return qs
    public = qs.filter(status=ExpertProfile.Status.APPROVED)
    if user.is_authenticated:
        return public | qs.filter(user=user)
    return public


def experts_for_review(user):
    if user.is_authenticated and user.has_role(Role.SECRETARIAT, Role.ADMIN):
        return ExpertProfile.objects.all()
    return ExpertProfile.objects.none()


def get_expert_for_review(user, pk):
    try:
        return experts_for_review(user).select_related("user", "base_prefecture").get(pk=pk)
    except ExpertProfile.DoesNotExist:
        raise Http404 from None


def organisations_managed_by(user):
    """Organisations whose staff the user administers (chief coordinators; administrators: all)."""
    if user.has_role(Role.ADMIN):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=user.chief_organisation_ids())
