"""Who may see and answer a request. Outside the scope a request is a 404.

* SME members of the requesting company: see, withdraw;
* coordinators and chief coordinators of the chosen organisation: see, answer;
* the regional bureau of the organisation's prefecture: see;
* secretariat, HQ, administrators: see.
"""

from django.db.models import Q
from django.http import Http404

from accounts.roles import NATIONAL_ROLES

from .models import ExpertRequest


def requests_for(user):
    if not user.is_authenticated:
        return ExpertRequest.objects.none()
    if user.has_role(*NATIONAL_ROLES):
        return ExpertRequest.objects.all()
    scope = Q(company__memberships__user=user)
    if user.organisation_ids():
        scope |= Q(organisation_id__in=user.organisation_ids())
    if user.bureau_codes():
        scope |= Q(organisation__prefecture__bureau_id__in=user.bureau_codes())
    # Filter by ids so the membership join cannot duplicate rows.
    return ExpertRequest.objects.filter(pk__in=ExpertRequest.objects.filter(scope).values("pk"))


def get_request_for_user(user, pk):
    try:
        return requests_for(user).select_related(
            "company", "company__prefecture", "organisation", "organisation__prefecture", "expert", "requested_by",
            "decided_by",
        ).get(pk=pk)
    except ExpertRequest.DoesNotExist:
        raise Http404 from None


def can_answer(user, request_obj):
    return request_obj.organisation_id in user.organisation_ids()


def can_withdraw(user, request_obj):
    return request_obj.company.memberships.filter(user=user).exists()


def inbox_for(user):
    """Requests addressed to the user's organisations (coordinators and chiefs)."""
    return ExpertRequest.objects.filter(organisation_id__in=user.organisation_ids())


def mine_for(user):
    """Requests of the companies the user is a member of."""
    return ExpertRequest.objects.filter(company__memberships__user=user)
