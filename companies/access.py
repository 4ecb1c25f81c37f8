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
    orgs = user.organisation_ids()
    if orgs:
        # Coordinators see the companies their organisation has consulted (or was referred).
        from consultations.models import Consultation, Referral

        consulted = Consultation.objects.filter(organisation_id__in=orgs).values("company_id")
        referred = Referral.objects.filter(to_organisation_id__in=orgs).values("consultation__company_id")
        scope = scope | Company.objects.filter(pk__in=consulted) | Company.objects.filter(pk__in=referred)
    return scope.distinct()


def get_company_for_user(user, pk, write=False):
    qs = Company.objects.filter(memberships__user=user) if write else companies_for(user)
    try:
        return qs.select_related("industry", "industry__parent", "prefecture").get(pk=pk)
    except Company.DoesNotExist:
        raise Http404 from None


def is_owner(user, company):
    return Membership.objects.filter(company=company, user=user, role=Membership.Role.OWNER).exists()
