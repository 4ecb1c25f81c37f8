"""Cases through a token: the UI's scope (dispatch.access), outside it a 404."""

import pytest

from dispatch.models import State
from tests import factories
from tests.consultations.builders import consult

pytestmark = pytest.mark.django_db

PRIVATE = ["/api/me/", "/api/cases/", "/api/cases/1/", "/api/organisations/1/cases/", "/api/kpis/"]


@pytest.mark.parametrize("path", PRIVATE)
def test_anonymous_is_refused_by_every_private_endpoint(api_get, path):
    response = api_get(path)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "認証が必要です" in response.json()["detail"]


def ids(response):
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()["items"]]


def test_sme_sees_its_own_case_with_its_timeline(two, api_get, token_for):
    case = two.case_in(State.APPROVED)
    token = token_for(two.sme)
    assert ids(api_get("/api/cases/", token)) == [case.pk]
    body = api_get(f"/api/cases/{case.pk}/", token).json()
    assert body["state"] == "approved" and body["holder"] == "expert"
    assert [(e["from_state"], e["to_state"]) for e in body["timeline"]] == [
        ("", "draft"), ("draft", "applied"), ("applied", "approved"),
    ]
    assert body["timeline"][2]["actor"] == "事務局一郎"
    assert body["my_roles"] == ["sme"]
    assert "専門家" in body["next_action"]


def test_sme_of_company_a_cannot_see_the_case_of_company_b(two, api_get, token_for):
    case_b = two.case_b("applied")
    token = token_for(two.sme)
    assert ids(api_get("/api/cases/", token)) == []
    response = api_get(f"/api/cases/{case_b.pk}/", token)
    assert response.status_code == 404
    assert response.json()["detail"].startswith("見つかりません")


def test_expert_sees_own_case_once_approved_and_not_another_experts(two, api_get, token_for):
    draft = two.case_in(State.DRAFT)
    approved = two.case_in(State.APPROVED, days=20)
    token = token_for(two.expert.user)
    assert ids(api_get("/api/cases/", token)) == [approved.pk]
    assert api_get(f"/api/cases/{approved.pk}/", token).json()["my_roles"] == ["expert"]
    assert api_get(f"/api/cases/{draft.pk}/", token).status_code == 404
    assert api_get(f"/api/cases/{approved.pk}/", token_for(two.other_expert.user)).status_code == 404


def test_coordinator_sees_the_cases_of_its_organisation_only(two, api_get, token_for):
    case_x = two.case_in(State.DRAFT)
    case_y = two.case_b("draft")
    token = token_for(two.staff)
    assert ids(api_get("/api/cases/", token)) == [case_x.pk]
    assert ids(api_get(f"/api/organisations/{two.organisation.pk}/cases/", token)) == [case_x.pk]
    assert api_get(f"/api/cases/{case_y.pk}/", token).status_code == 404
    assert api_get(f"/api/organisations/{two.organisation_y.pk}/cases/", token).status_code == 404


def test_bureau_sees_the_organisations_of_its_region(two, api_get, token_for):
    case_x = two.case_in(State.APPLIED)  # Tokyo: 関東
    case_y = two.case_b("applied")  # Osaka: 近畿
    kinki = token_for(two.bureau_kinki)
    assert ids(api_get("/api/cases/", kinki)) == [case_y.pk]
    assert ids(api_get(f"/api/organisations/{two.organisation_y.pk}/cases/", kinki)) == [case_y.pk]
    assert api_get(f"/api/organisations/{two.organisation.pk}/cases/", kinki).status_code == 404
    assert api_get(f"/api/cases/{case_x.pk}/", kinki).status_code == 404


def test_secretariat_and_hq_see_every_case(two, api_get, token_for):
    case_x = two.case_in(State.APPLIED)
    case_y = two.case_b("applied")
    for user in (two.secretariat, two.hq):
        token = token_for(user)
        assert set(ids(api_get("/api/cases/", token))) == {case_x.pk, case_y.pk}
        assert ids(api_get(f"/api/organisations/{two.organisation_y.pk}/cases/", token)) == [case_y.pk]


def test_sme_cannot_list_an_organisations_cases_even_its_own_case_is_there(two, api_get, token_for):
    two.case_in(State.APPLIED)
    assert api_get(f"/api/organisations/{two.organisation.pk}/cases/", token_for(two.sme)).status_code == 404


def test_cases_filter_by_state_and_fiscal_year(two, api_get, token_for):
    draft = two.case_in(State.DRAFT)
    applied = two.case_in(State.APPLIED, days=20)
    token = token_for(two.staff)
    assert ids(api_get("/api/cases/", token, state="draft")) == [draft.pk]
    assert ids(api_get("/api/cases/", token, fiscal_year=applied.fiscal_year, state="applied")) == [applied.pk]
    assert ids(api_get("/api/cases/", token, fiscal_year=2001)) == []
    assert api_get("/api/cases/", token, state="lost").status_code == 422


def test_me_lists_the_users_roles_and_organisations(two, api_get, token_for):
    body = api_get("/api/me/", token_for(two.bureau_kinki)).json()
    assert body["roles"] == ["bureau"] and body["bureaus"] == [{"code": "kinki", "name": "近畿経済産業局"}]
    body = api_get("/api/me/", token_for(two.staff)).json()
    assert body["organisations"] == [{"id": two.organisation.pk, "name": two.organisation.name}]


@pytest.mark.parametrize("count", [1, 6])
def test_case_lists_issue_a_constant_number_of_queries(two, api_get, token_for, django_assert_max_num_queries, count):
    for n in range(count):  # one company per case: an SME has only 3 free dispatches a year
        company, _ = factories.company_with_member()
        two.case_in(State.APPROVED, days=10 + n, company=company,
                    consultation=consult(two.staff, two.organisation, company))
    token = token_for(two.staff)
    # token + roles + last use, then count + page
    with django_assert_max_num_queries(5):
        assert len(ids(api_get("/api/cases/", token))) == count
    with django_assert_max_num_queries(6):
        assert len(ids(api_get(f"/api/organisations/{two.organisation.pk}/cases/", token))) == count
    case = two.case_in(State.SCHEDULED, days=40)
    with django_assert_max_num_queries(6):
        assert len(api_get(f"/api/cases/{case.pk}/", token).json()["timeline"]) == 4
