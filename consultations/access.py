"""Who may see which consultations and referrals: 404 outside the scope."""

from django.db.models import Q
from django.http import Http404

from accounts.roles import Role
from companies.models import Membership

from .models import Consultation, Referral


def staff_organisation_ids(user):
    if not user.is_authenticated:
        return set()
    return user.organisation_ids()


def consultations_for(user):
    """Staff of the organisation (and of an organisation it was referred to), SME members of the company,
    the bureau of the organisation's region; secretariat, HQ and administrators read everything."""
    if not user.is_authenticated:
        return Consultation.objects.none()
    if user.has_role(Role.SECRETARIAT, Role.HQ, Role.ADMIN):
        return Consultation.objects.all()
    scope = Q(company_id__in=Membership.objects.filter(user=user).values("company_id"))
    # whoever held the consultation (e.g. an online-desk consultant without an organisation role)
    scope |= Q(staff=user)
    orgs = user.organisation_ids()
    if orgs:
        scope |= Q(organisation_id__in=orgs)
        scope |= Q(pk__in=Referral.objects.filter(to_organisation_id__in=orgs).values("consultation_id"))
    bureaus = user.bureau_codes()
    if bureaus:
        scope |= Q(organisation__prefecture__bureau_id__in=bureaus)
    return Consultation.objects.filter(scope)


def get_consultation_for_user(user, pk, write=False):
    qs = Consultation.objects.filter(organisation_id__in=staff_organisation_ids(user)) if write else consultations_for(user)
    try:
        return qs.select_related("organisation", "company", "staff", "created_by").get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404 from None


def referrals_for(user):
    if not user.is_authenticated:
        return Referral.objects.none()
    if user.has_role(Role.SECRETARIAT, Role.HQ, Role.ADMIN):
        return Referral.objects.all()
    return Referral.objects.filter(consultation__in=consultations_for(user))


def get_referral_for_receiver(user, pk):
    """Only staff of the receiving organisation answer a referral."""
    try:
        return Referral.objects.select_related("consultation", "from_organisation", "to_organisation").get(
            pk=pk, to_organisation_id__in=staff_organisation_ids(user)
        )
    except Referral.DoesNotExist:
        raise Http404 from None


def may_see_photo(user, consultation):
    """The face photo is personal data: only those involved (the organisation and organisations it was
    referred to, the SME's members) and the secretariat that checks evidence — not bureaus or HQ,
    who read the records for evaluation."""
    if user.has_role(Role.SECRETARIAT, Role.ADMIN):
        return True
    if Membership.objects.filter(company_id=consultation.company_id, user=user).exists():
        return True
    orgs = user.organisation_ids()
    if consultation.organisation_id in orgs:
        return True
    return Referral.objects.filter(consultation=consultation, to_organisation_id__in=orgs).exists()
