"""Which companies a user may see or change: 404 outside the scope."""

from django.http import Http404

from accounts.roles import Role

from .models import Company, Membership


def companies_for(user):
    if not user.is_authenticated:
        return Company.objects.none()
    if user.has_role(Role.SECRETARIAT, Role.HQ, Role.ADMIN):
        return Company.objects.all()
    scope = Company.objects.filter(memberships__user=user)
    bureaus = user.bureau_codes()
    if bureaus:
        scope = scope | Company.objects.filter(prefecture__bureau_id__in=bureaus)
    # Coordinators will see the companies they support (consultations, requests) once those exist.
    return scope.distinct()


def get_company_for_user(user, pk, write=False):
    qs = Company.objects.filter(memberships__user=user) if write else companies_for(user)
    try:
        return qs.select_related("industry", "industry__parent", "prefecture").get(pk=pk)
    except Company.DoesNotExist:
        raise Http404 from None


def is_owner(user, company):
    return Membership.objects.filter(company=company, user=user, role=Membership.Role.OWNER).exists()
