"""Who may see which evidence: the case's parties and the secretariat; 404 for everyone else."""

from django.http import Http404

from accounts.roles import Role
from dispatch.access import get_case_for_user, roles_on_case

from .models import CasePhoto, DeclarationScan, PhotoConsent

PARTY_ROLES = {"sme", "expert", "organisation", "secretariat"}


def is_secretariat(user):
    return user.has_role(Role.SECRETARIAT, Role.ADMIN)


def get_case_for_party(user, pk):
    """The case when the user is one of its parties or the secretariat (readers such as bureaus: 404)."""
    case = get_case_for_user(user, pk)
    roles = roles_on_case(user, case)
    if not roles & PARTY_ROLES:
        raise Http404
    return case, roles


def get_case_for_secretariat(user, pk):
    if not is_secretariat(user):
        raise Http404
    return get_case_for_user(user, pk)


def get_photo_for_user(user, pk):
    photo = CasePhoto.objects.filter(pk=pk).only("pk", "case_id", "image", "status").first()
    if photo is None:
        raise Http404
    photo.case, _ = get_case_for_party(user, photo.case_id)
    return photo


def get_declaration_for_user(user, pk):
    scan = DeclarationScan.objects.filter(pk=pk).first()
    if scan is None:
        raise Http404
    scan.case, _ = get_case_for_party(user, scan.case_id)
    return scan


def get_consent_for_user(user, pk):
    from .actions import may_act_for_company

    consent = PhotoConsent.objects.filter(pk=pk).select_related("company").first()
    if consent is None or not consent.document or not may_act_for_company(user, consent.company_id):
        raise Http404
    return consent
