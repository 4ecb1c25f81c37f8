"""The public directory: expert search and pages, organisation search with measured responsiveness.

The same functions as the web pages (directory.search, directory.org_views); only public fields,
no personal contact data, only approved experts and active organisations.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router

from directory import search
from directory.models import ExpertProfile, Organisation
from directory.org_views import search_organisations
from directory.public_views import reference_options
from reference.models import Industry, Prefecture, Qualification, Specialty

from . import ratelimit
from .pages import page_body, page_of
from .schemas import (
    Error, ExpertDetail, ExpertPage, ExpertQuery, Id, OrganisationDetail, OrganisationPage, OrganisationQuery,
    Reference, ValidationErrorOut,
)

router = Router(tags=[_("公開ディレクトリ")])

EXPERT_PAGE_SIZE = 20
ORGANISATION_PAGE_SIZE = 30
SEARCH_ERRORS = {422: ValidationErrorOut, 429: Error}


def _facts(stats):
    return {
        "dispatches_completed": getattr(stats, "dispatches_completed", 0),
        "rating_count": getattr(stats, "rating_count", 0),
        "rating_average": getattr(stats, "rating_average", None),
    }


def _expert_card(expert):
    return {
        "id": expert.pk,
        "display_name": expert.display_name,
        "display_name_kana": expert.display_name_kana,
        "headline": expert.headline,
        "specialties": expert.card_specialties,
        "areas": expert.card_areas,
        "qualifications": [{"name": n, "verified": v} for n, v in expert.card_qualifications],
        "facts": _facts(getattr(expert, "stats", None)),
        "url": reverse("directory:expert_detail", args=[expert.pk]),
    }


def _search_filters(params):
    """The filter objects by id, as the web form resolves them (cached reference data, no query).
    None when an id names nothing: such a filter matches no expert."""
    options = reference_options()
    wanted = {
        "specialty": None if params.specialty is None else str(params.specialty),
        "industry": None if params.industry is None else str(params.industry),
        "prefecture": params.prefecture,
        "qualification": None if params.qualification is None else str(params.qualification),
    }
    filters = {}
    for name, value in wanted.items():
        filters[name] = None if value is None else options[name].get(value)
        if value is not None and filters[name] is None:
            return None
    return filters


@router.get("/experts/", response={200: ExpertPage, **SEARCH_ERRORS}, auth=None, summary=_("専門家の検索"),
            description=_("承認済みの専門家を検索します（ウェブの専門家検索と同じ検索です）。連絡先は含みません。"
                          "同じ接続元からの回数に上限があり、超えると429を返します。"))
def expert_search(request, params: Query[ExpertQuery]):
    ratelimit.check(request, "search")
    filters = _search_filters(params)
    if filters is None:
        return page_body([], 0, params.page, 1, EXPERT_PAGE_SIZE, broadened=False)
    result = search.search_experts(q=params.q, sort=params.sort, name=params.name, **filters)
    experts, count, pages = page_of(result.experts, params.page, EXPERT_PAGE_SIZE)
    cards = [_expert_card(e) for e in search.attach_card_details(experts)]
    return page_body(cards, count, params.page, pages, EXPERT_PAGE_SIZE, broadened=result.broadened)


@router.get("/experts/{expert_id}/", response={200: ExpertDetail, 404: Error, 422: ValidationErrorOut},
            auth=None, summary=_("専門家の詳細"),
            description=_("承認済みの専門家のプロフィールと、システムが記録した実績です。"))
def expert_detail(request, expert_id: Id):
    try:
        expert = (
            search.public_experts()
            .select_related("base_prefecture", "stats")
            .prefetch_related("specialties", "industries", "areas", "qualifications__qualification")
            .get(pk=expert_id)
        )
    except ExpertProfile.DoesNotExist:
        raise Http404 from None
    stats = getattr(expert, "stats", None)
    return {
        "id": expert.pk,
        "display_name": expert.display_name,
        "display_name_kana": expert.display_name_kana,
        "headline": expert.headline,
        "bio": expert.bio,
        "career": expert.career,
        "specialties": [s.name for s in expert.specialties.all()],
        "industries": [i.name for i in expert.industries.all()],
        "areas": [{"code": p.code, "name": p.name} for p in expert.areas.all()],
        "base_prefecture": {"code": expert.base_prefecture.code, "name": expert.base_prefecture.name},
        "qualifications": [
            {"name": q.qualification.name, "verified": q.is_verified} for q in expert.qualifications.all()
        ],
        "facts": {**_facts(stats), "last_activity_at": getattr(stats, "last_activity_at", None)},
        "photo_url": reverse("directory:expert_photo", args=[expert.pk]) if expert.photo else None,
        "url": reverse("directory:expert_detail", args=[expert.pk]),
    }


def _responsiveness(org):
    stats = getattr(org, "stats", None)
    if stats is None:
        return None
    return {
        "window_days": stats.window_days,
        "requests_measured": stats.requests_measured,
        "responded": stats.responded,
        "median_response_seconds": stats.median_response_seconds,
        "answered_in_time": stats.answered_in_time,
        "share_in_time": stats.share_in_time,
        "dispatch_fiscal_year": stats.dispatch_fiscal_year,
        "dispatches_applied": stats.dispatches_applied,
        "computed_at": stats.computed_at,
    }


def _channels(org):
    flags = [("in_person", org.channel_in_person), ("phone", org.channel_phone), ("web", org.channel_web)]
    return [code for code, on in flags if on]


def _organisation_card(org):
    return {
        "id": org.pk,
        "name": org.name,
        "name_kana": org.name_kana,
        "kind": org.kind,
        "kind_label": org.get_kind_display(),
        "prefecture": {"code": org.prefecture.code, "name": org.prefecture.name},
        "municipality": org.municipality,
        "channels": _channels(org),
        "handles_dispatch": org.handles_dispatch,
        "responsiveness": _responsiveness(org),
        "url": reverse("directory:org_detail", args=[org.pk]),
    }


@router.get("/organisations/", response={200: OrganisationPage, **SEARCH_ERRORS}, auth=None,
            summary=_("支援機関の検索"),
            description=_("支援機関を地域・種別・相談方法で検索します。相談依頼への対応の実績（回答までの時間の中央値、"
                          "2営業日以内の回答率、今年度の派遣申請件数）を含みます。"))
def organisation_search(request, params: Query[OrganisationQuery]):
    ratelimit.check(request, "search")
    data = {"prefecture": params.prefecture, "municipality": params.municipality, "kind": params.kind,
            "channel": params.channel}
    orgs, count, pages = page_of(search_organisations(data), params.page, ORGANISATION_PAGE_SIZE)
    return page_body([_organisation_card(o) for o in orgs], count, params.page, pages, ORGANISATION_PAGE_SIZE)


@router.get("/organisations/{organisation_id}/", response={200: OrganisationDetail, 404: Error, 422: ValidationErrorOut},
            auth=None, summary=_("支援機関の詳細"))
def organisation_detail(request, organisation_id: Id):
    try:
        org = Organisation.objects.select_related("prefecture", "prefecture__bureau", "stats").get(
            pk=organisation_id, is_active=True
        )
    except Organisation.DoesNotExist:
        raise Http404 from None
    return {
        **_organisation_card(org),
        "bureau": org.prefecture.bureau.name,
        "address": f"{org.prefecture.name}{org.municipality}{org.address}",
        "phone": org.phone,
        "hours": org.hours,
        "website": org.website,
    }


@router.get("/reference/", response=Reference, auth=None, summary=_("検索条件の一覧"),
            description=_("検索に使う専門分野・業種・都道府県・資格・支援機関の種別とそのIDです。"))
def reference(request):
    return {
        "specialties": [{"id": s.pk, "name": s.name} for s in Specialty.objects.filter(is_active=True)],
        "industries": [
            {"id": i.pk, "code": i.code, "name": i.name, "parent_id": i.parent_id} for i in Industry.objects.all()
        ],
        "prefectures": [
            {"code": p.code, "name": p.name, "bureau": p.bureau.name} for p in Prefecture.objects.select_related("bureau")
        ],
        "qualifications": [{"id": q.pk, "name": q.name} for q in Qualification.objects.filter(is_active=True)],
        "organisation_kinds": [{"code": code, "label": str(label)} for code, label in Organisation.Kind.choices],
    }
