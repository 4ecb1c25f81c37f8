"""Who sees which centre's governance: 404 outside the scope.

chief / coordinator: their centre; bureau: the centres of its region; HQ, secretariat, admin: the nation.
"""

from django.http import Http404

from accounts.roles import NATIONAL_ROLES, Role
from directory.models import Organisation
from reference.models import Bureau

CENTRE = Organisation.Kind.YOROZU
HQ_ROLES = (Role.HQ, Role.ADMIN)


def is_national(user):
    return user.is_authenticated and user.has_role(*NATIONAL_ROLES)


def is_hq(user):
    return user.is_authenticated and user.has_role(*HQ_ROLES)


def centres_for(user):
    """The centres whose dashboards the user may open."""
    centres = Organisation.objects.filter(kind=CENTRE)
    if not user.is_authenticated:
        return centres.none()
    if is_national(user):
        return centres
    own = user.organisation_ids()
    bureaus = user.bureau_codes()
    if bureaus:
        from django.db.models import Q

        return centres.filter(Q(pk__in=own) | Q(prefecture__bureau_id__in=bureaus))
    return centres.filter(pk__in=own)


def get_centre_for_user(user, pk):
    try:
        return centres_for(user).select_related("prefecture__bureau").get(pk=pk)
    except (Organisation.DoesNotExist, ValueError):
        raise Http404 from None


def get_bureau_for_user(user, code):
    if not (is_national(user) or code in (user.bureau_codes() if user.is_authenticated else ())):
        raise Http404
    try:
        return Bureau.objects.get(pk=code)
    except Bureau.DoesNotExist:
        raise Http404 from None


def require_national(user):
    if not is_national(user):
        raise Http404


def require_hq(user):
    if not is_hq(user):
        raise Http404


def is_chief_of(user, organisation_id):
    return organisation_id in user.chief_organisation_ids()


def is_staff_of(user, organisation_id):
    return organisation_id in user.organisation_ids()


def is_bureau_of(user, organisation):
    return organisation.prefecture.bureau_id in user.bureau_codes()


def home_for(user):
    """Where /governance/ sends the user: ('nation',), ('region', code) or ('centre', pk); None outside."""
    if is_national(user):
        return ("nation",)
    bureaus = sorted(user.bureau_codes())
    if bureaus:
        return ("region", bureaus[0])
    centre = Organisation.objects.filter(kind=CENTRE, pk__in=user.organisation_ids()).order_by("pk").first()
    if centre:
        return ("centre", centre.pk)
    return None


def evaluator_organisations(user):
    """Support organisations (not centres) whose staff may evaluate their prefecture's centre."""
    return Organisation.objects.filter(pk__in=user.organisation_ids()).exclude(kind=CENTRE)
