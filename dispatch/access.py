"""Who may see which dispatch cases: 404 outside the scope."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from accounts.roles import Role
from companies.models import Membership

from .models import DispatchCase, DispatchEvent, State

# An expert sees a case once the secretariat has approved it (before, it is only a proposal).
EXPERT_VISIBLE_EXCLUDED = [State.DRAFT, State.APPLIED, State.RETURNED]


def cases_for(user):
    if not user.is_authenticated:
        return DispatchCase.objects.none()
    if user.has_role(Role.SECRETARIAT, Role.HQ, Role.ADMIN):
        return DispatchCase.objects.all()
    scope = Q(company_id__in=Membership.objects.filter(user=user).values("company_id"))
    # A case cancelled before approval was never put to the expert: it stays the organisation's.
    ever_approved = Exists(DispatchEvent.objects.filter(case=OuterRef("pk"), to_state=State.APPROVED))
    scope |= (
        Q(expert__user=user) & ~Q(state__in=EXPERT_VISIBLE_EXCLUDED)
        & (~Q(state=State.CANCELLED) | Q(ever_approved))
    )
    orgs = user.organisation_ids()
    if orgs:
        scope |= Q(organisation_id__in=orgs)
    bureaus = user.bureau_codes()
    if bureaus:
        scope |= Q(organisation__prefecture__bureau_id__in=bureaus)
    return DispatchCase.objects.filter(scope)


def get_case_for_user(user, pk):
    try:
        return cases_for(user).select_related(
            "organisation", "company", "company__prefecture", "expert", "expert__user", "topic", "consultation", "created_by"
        ).get(pk=pk)
    except DispatchCase.DoesNotExist:
        raise Http404 from None


def roles_on_case(user, case):
    """What the user is on this case: a set of 'organisation', 'secretariat', 'expert', 'sme', 'reader'."""
    roles = set()
    if case.organisation_id in user.organisation_ids():
        roles.add("organisation")
    if user.has_role(Role.SECRETARIAT, Role.ADMIN):
        roles.add("secretariat")
    if case.expert.user_id == user.pk:
        roles.add("expert")
    if Membership.objects.filter(company_id=case.company_id, user=user).exists():
        roles.add("sme")
    return roles or {"reader"}
