"""KPIs through the governance app: centre staff their centre, a bureau its region, HQ the nation."""

import pytest

from consultations.models import Consultation
from core.dates import fiscal_year
from dispatch.models import State
from governance import actions as governance_actions, aggregates
from tests import factories
from tests.consultations.builders import consult

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(two):
    """Centre X (Tokyo, 関東): 2 consultations, one solved, and an approved dispatch; centre Y (Osaka,
    近畿): 1 consultation; the monthly aggregates refreshed as the scheduler would."""
    consult(two.staff, two.organisation, two.company, photo=False, outcome=Consultation.Outcome.SOLVED)
    two.case_in(State.APPROVED)
    aggregates.refresh(full=True)
    return two


def centres(response):
    assert response.status_code == 200, response.content
    return {row["organisation"]["name"]: row for row in response.json()["centres"]}


def test_bureau_sees_only_the_centres_of_its_region(activity, api_get, token_for):
    rows = centres(api_get("/api/kpis/", token_for(activity.bureau_kinki)))
    assert set(rows) == {"大阪府よろず支援拠点"}
    assert rows["大阪府よろず支援拠点"]["actuals"]["consultations"] == 1


def test_kpis_count_consultations_and_dispatches_from_the_records(activity, api_get, token_for):
    body = api_get("/api/kpis/", token_for(activity.bureau_kanto)).json()
    row = body["centres"][0]
    assert body["scope"] == "region" and body["bureaus"] == [{"code": "kanto", "name": "関東経済産業局"}]
    assert row["actuals"] == {"consultations": 2, "visitors": 1, "solved": 1, "network": 0}
    assert (row["dispatches"], row["dispatches_completed"]) == (1, 0)
    assert body["fiscal_year"] == fiscal_year() and body["fiscal_year_label"].endswith("年度")
    assert body["refreshed_at"] is not None


def test_hq_sees_the_nation_and_may_narrow_to_a_region(activity, api_get, token_for):
    token = token_for(activity.hq)
    body = api_get("/api/kpis/", token).json()
    assert body["scope"] == "nation"
    assert set(centres(api_get("/api/kpis/", token))) == {activity.organisation.name, "大阪府よろず支援拠点"}
    assert body["totals"]["actuals"]["consultations"] == 3
    assert set(centres(api_get("/api/kpis/", token, bureau="kinki"))) == {"大阪府よろず支援拠点"}


def test_a_bureau_cannot_widen_its_scope_with_the_bureau_filter(activity, api_get, token_for):
    assert centres(api_get("/api/kpis/", token_for(activity.bureau_kinki), bureau="kanto")) == {}


def test_centre_staff_see_their_own_centre(activity, api_get, token_for):
    body = api_get("/api/kpis/", token_for(activity.staff)).json()
    assert body["scope"] == "centre" and [r["organisation"]["id"] for r in body["centres"]] == [activity.organisation.pk]


def test_targets_come_from_the_centres_plan(activity, api_get, token_for):
    chief = factories.grant(factories.UserFactory(name="チーフ"), "chief", organisation=activity.organisation)
    governance_actions.save_plan(chief, activity.organisation, fiscal_year(), {
        "needs_analysis": "分析", "plan_text": "計画", "target_consultations": 100, "target_visitors": 40,
        "target_solved": 30, "target_network": 12,
    })
    row = centres(api_get("/api/kpis/", token_for(activity.hq)))[activity.organisation.name]
    assert row["plan_status"] == "draft"
    assert row["targets"] == {"consultations": 100, "visitors": 40, "solved": 30, "network": 12}


def test_a_past_fiscal_year_has_its_own_figures(activity, api_get, token_for):
    body = api_get("/api/kpis/", token_for(activity.hq), fiscal_year=fiscal_year() - 1).json()
    assert body["totals"]["actuals"]["consultations"] == 0 and body["totals"]["dispatches"] == 0


@pytest.mark.parametrize("who", ["sme", "expert"])
def test_smes_and_experts_are_refused_kpis_in_japanese(two, api_get, token_for, who):
    user = two.sme if who == "sme" else two.expert.user
    response = api_get("/api/kpis/", token_for(user))
    assert response.status_code == 403
    assert "KPIを見られるのは" in response.json()["detail"]


@pytest.mark.parametrize("extra", [0, 5])
def test_kpis_issue_a_constant_number_of_queries(two, api_get, token_for, django_assert_max_num_queries, extra):
    for n in range(extra):
        org = factories.OrganisationFactory(name=f"拠点{n}")
        company, _ = factories.company_with_member()
        consult(two.staff, two.organisation, company, photo=False)
        consult(factories.grant(factories.UserFactory(), "coordinator", organisation=org), org, company, photo=False)
    aggregates.refresh(full=True)
    token = token_for(two.hq)
    # token, roles, last use; centres, actuals, dispatches, plans, refreshed_at, bureaus
    with django_assert_max_num_queries(9):
        assert len(api_get("/api/kpis/", token).json()["centres"]) == 2 + extra
