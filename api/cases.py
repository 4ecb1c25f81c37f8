"""Dispatch cases through the UI's permission layer (dispatch.access): a case outside the token
user's scope is a 404, exactly as on the web page."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _, gettext_lazy
from ninja import Query, Router

from accounts.roles import Role
from directory.models import Organisation
from dispatch import access
from dispatch.views import next_actor_label
from reference.models import Bureau

from .auth import bearer
from .pages import page_body, page_of
from .schemas import CaseDetail, CasePage, CaseQuery, Error, Id, Me, ValidationErrorOut

router = Router(auth=bearer, tags=[gettext_lazy("派遣（トークンが必要）")])

CASE_PAGE_SIZE = 50
PRIVATE_ERRORS = {401: Error, 422: ValidationErrorOut}


def _summary(case):
    return {
        "id": case.pk,
        "state": case.state,
        "state_label": case.get_state_display(),
        "holder": case.holder,
        "next_action": str(next_actor_label(case)),
        "organisation": {"id": case.organisation_id, "name": case.organisation.name},
        "company": {"id": case.company_id, "name": case.company.name},
        "expert": {"id": case.expert_id, "display_name": case.expert.display_name},
        "topic": case.topic.name,
        "starts_at": case.starts_at,
        "ends_at": case.ends_at,
        "fiscal_year": case.fiscal_year,
        "updated_at": case.updated_at,
    }


def _filtered(cases, params):
    if params.state:
        cases = cases.filter(state=params.state)
    if params.fiscal_year:
        cases = cases.filter(fiscal_year=params.fiscal_year)
    return cases.select_related("organisation", "company", "expert", "topic").order_by("-starts_at", "-pk")


def _case_page(cases, params):
    rows, count, pages = page_of(_filtered(cases, params), params.page, CASE_PAGE_SIZE)
    return page_body([_summary(c) for c in rows], count, params.page, pages, CASE_PAGE_SIZE)


@router.get("/me/", response={200: Me, 401: Error}, summary=gettext_lazy("トークンの利用者と役割"))
def me(request):
    user = request.user
    org_ids = user.organisation_ids(roles=set(Role.values))
    return {
        "id": user.pk,
        "name": user.name,
        "email": user.email,
        "roles": sorted(user.role_set()),
        "organisations": [{"id": o.pk, "name": o.name} for o in Organisation.objects.filter(pk__in=org_ids)],
        "bureaus": [{"code": b.code, "name": b.name} for b in Bureau.objects.filter(code__in=user.bureau_codes())],
    }


@router.get("/cases/", response={200: CasePage, **PRIVATE_ERRORS}, summary=gettext_lazy("自分が関わる専門家派遣"),
            description=gettext_lazy("ウェブの「専門家派遣」一覧と同じ範囲です（事業者は自社の派遣、専門家は承認後の自分の派遣、"
                                     "支援機関の職員は所属機関の派遣、経済産業局は管内、事務局・全国本部は全国）。"))
def case_list(request, params: Query[CaseQuery]):
    return _case_page(access.cases_for(request.user), params)


@router.get("/cases/{case_id}/", response={200: CaseDetail, 404: Error, **PRIVATE_ERRORS},
            summary=gettext_lazy("専門家派遣の詳細と経過"),
            description=gettext_lazy("見る権限のない派遣は404です。経過（timeline）は状態の変更の記録です。"))
def case_detail(request, case_id: Id):
    case = access.get_case_for_user(request.user, case_id)
    events = case.events.select_related("actor")
    return {
        **_summary(case),
        "request_text": case.request_text,
        "place": case.place,
        "consultation_id": case.consultation_id,
        "created_at": case.created_at,
        "my_roles": sorted(access.roles_on_case(request.user, case)),
        "timeline": [
            {
                "at": e.created_at,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "to_state_label": e.get_to_state_display(),
                "actor": e.actor.name if e.actor else _("システム"),
                "reason": e.reason,
            }
            for e in events
        ],
    }


def organisations_overseen(user):
    """Organisations whose cases the user may list: its own (staff), its region's (bureau), all (national)."""
    if user.is_national():
        return Organisation.objects.all()
    orgs, bureaus = user.organisation_ids(), user.bureau_codes()
    if not orgs and not bureaus:
        return Organisation.objects.none()
    return Organisation.objects.filter(Q(pk__in=orgs) | Q(prefecture__bureau_id__in=bureaus))


@router.get("/organisations/{organisation_id}/cases/", response={200: CasePage, 404: Error, **PRIVATE_ERRORS},
            summary=gettext_lazy("支援機関の専門家派遣"),
            description=gettext_lazy("所属する職員、管轄の経済産業局、事務局・全国本部が見られます。それ以外は404です。"))
def organisation_cases(request, organisation_id: Id, params: Query[CaseQuery]):
    if not organisations_overseen(request.user).filter(pk=organisation_id).exists():
        raise Http404
    return _case_page(access.cases_for(request.user).filter(organisation_id=organisation_id), params)
