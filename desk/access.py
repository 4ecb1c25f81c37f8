"""Who may do what at a desk, and scoped loaders (404 outside the scope).

* desk administrator: chief coordinator of the desk's organisation, or a system administrator;
* desk staff: administrator or coordinator of that organisation (bookings, roster, reports);
* consultant: approved オンライン相談員 at that organisation (roster, own bookings, walk-ins);
* 経営指導員: coordinator or chief of a 商工会 — books for the 商工会's member companies;
* SME member: books for and sees the bookings of their own companies.
"""

from django.db.models import Q
from django.http import Http404

from accounts.models import RoleGrant
from accounts.roles import ORG_ROLES, Role
from companies.models import Company, Membership
from directory.models import Organisation

from .models import Booking, Desk, ShokokaiMember


def _authenticated(user):
    return user is not None and user.is_authenticated


def is_admin(user):
    return _authenticated(user) and user.has_role(Role.ADMIN)


def can_administer(user, desk):
    return is_admin(user) or (_authenticated(user) and desk.organisation_id in user.chief_organisation_ids())


def is_staff(user, desk):
    return is_admin(user) or (_authenticated(user) and desk.organisation_id in user.organisation_ids())


def is_consultant(user, desk):
    return _authenticated(user) and desk.organisation_id in user.organisation_ids(roles={Role.DESK})


def sees_roster(user, desk):
    return is_staff(user, desk) or is_consultant(user, desk)


def organisations_to_open(user):
    """Organisations the user may open a desk for (those without one)."""
    if not _authenticated(user):
        return Organisation.objects.none()
    qs = Organisation.objects.filter(is_active=True, desk__isnull=True)
    return qs if is_admin(user) else qs.filter(pk__in=user.chief_organisation_ids())


def get_desk(pk):
    """A desk open for bookings (public information)."""
    try:
        return Desk.objects.select_related("organisation", "organisation__prefecture").get(pk=pk, is_active=True)
    except Desk.DoesNotExist:
        raise Http404 from None


def _get(user, pk, allowed):
    try:
        desk = Desk.objects.select_related("organisation", "organisation__prefecture").get(pk=pk)
    except Desk.DoesNotExist:
        raise Http404 from None
    if not allowed(user, desk):
        raise Http404
    return desk


def get_desk_for_admin(user, pk):
    return _get(user, pk, can_administer)


def get_desk_for_staff(user, pk):
    return _get(user, pk, is_staff)


def get_desk_for_roster(user, pk):
    return _get(user, pk, sees_roster)


def managed_desks(user):
    """Desks whose roster, bookings or reports the user works with."""
    if not _authenticated(user):
        return Desk.objects.none()
    if is_admin(user):
        return Desk.objects.all()
    orgs = user.organisation_ids(roles=set(ORG_ROLES) | {Role.DESK})
    return Desk.objects.filter(organisation_id__in=orgs)


# ---- 商工会 and their member companies -------------------------------------------------------

def shokokai_ids(user):
    """The 商工会 whose staff (経営指導員) the user is."""
    if not _authenticated(user):
        return set()
    orgs = user.organisation_ids()
    if not orgs:
        return set()
    return set(
        Organisation.objects.filter(pk__in=orgs, kind=Organisation.Kind.SHOKOKAI).values_list("pk", flat=True)
    )


def member_companies(organisation_ids):
    """Companies a 商工会 may book for: its registered members and the companies it has consulted."""
    from consultations.models import Consultation

    return Company.objects.filter(
        Q(pk__in=ShokokaiMember.objects.filter(organisation_id__in=organisation_ids).values("company_id"))
        | Q(pk__in=Consultation.objects.filter(organisation_id__in=organisation_ids).values("company_id"))
    )


def bookable_companies(user):
    """Companies the user may book the desk for: their own, and their 商工会's members."""
    if not _authenticated(user):
        return Company.objects.none()
    own = Q(pk__in=Membership.objects.filter(user=user).values("company_id"))
    orgs = shokokai_ids(user)
    if orgs:
        return Company.objects.filter(own | Q(pk__in=member_companies(orgs).values("pk")))
    return Company.objects.filter(own)


def shokokai_for_company(company_id, organisation_ids):
    """Of the given 商工会, the one the company belongs to (registered member first)."""
    member = (
        ShokokaiMember.objects.filter(company_id=company_id, organisation_id__in=organisation_ids)
        .order_by("pk").values_list("organisation_id", flat=True).first()
    )
    if member:
        return member
    from consultations.models import Consultation

    return (
        Consultation.objects.filter(company_id=company_id, organisation_id__in=organisation_ids)
        .order_by("-held_on").values_list("organisation_id", flat=True).first()
    )


# ---- bookings --------------------------------------------------------------------------------

def bookings_for(user):
    if not _authenticated(user):
        return Booking.objects.none()
    if is_admin(user):
        return Booking.objects.all()
    scope = Q(company_id__in=Membership.objects.filter(user=user).values("company_id"))
    scope |= Q(booked_by=user) | Q(consultant=user)
    staff_orgs = user.organisation_ids()
    if staff_orgs:
        scope |= Q(desk__organisation_id__in=staff_orgs) | Q(shokokai_id__in=staff_orgs)
    return Booking.objects.filter(scope)


def get_booking_for_user(user, pk):
    try:
        return bookings_for(user).select_related(
            "desk", "desk__organisation", "company", "consultant", "booked_by", "shokokai", "theme", "consultation"
        ).get(pk=pk)
    except Booking.DoesNotExist:
        raise Http404 from None


def can_manage_booking(user, booking):
    """Cancel or reschedule: the SME side, the 商工会 that booked, the consultant and the desk staff."""
    if not _authenticated(user):
        return False
    if booking.booked_by_id == user.pk or booking.consultant_id == user.pk or is_staff(user, booking.desk):
        return True
    # The 商工会 manages bookings its 経営指導員 made; one the SME made itself stays the SME's
    # (the 商工会 is recorded on it only for the usage statistics).
    if booking.by_adviser and booking.shokokai_id and booking.shokokai_id in user.organisation_ids():
        return True
    return bool(booking.company_id) and Membership.objects.filter(company_id=booking.company_id, user=user).exists()


def can_record(user, booking):
    """The session's consultant, or the desk's staff, writes the consultation record."""
    if not _authenticated(user):
        return False
    return booking.consultant_id == user.pk or booking.desk.organisation_id in user.organisation_ids()


def admin_emails(desk):
    """Where the desk's administrators are reached: its organisation's chiefs, else the organisation."""
    emails = list(
        RoleGrant.objects.filter(organisation_id=desk.organisation_id, role=Role.CHIEF,
                                 status=RoleGrant.Status.APPROVED, user__is_active=True)
        .order_by("pk").values_list("user__email", flat=True)
    )
    if not emails and desk.organisation.email:
        emails.append(desk.organisation.email)
    return emails


def shokokai_choices(desk):
    """The 商工会 a desk serves: those of its organisation's prefecture."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.SHOKOKAI, prefecture_id=desk.organisation.prefecture_id, is_active=True
    ).order_by("name_kana", "name")
