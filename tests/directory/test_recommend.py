"""Explainable recommendation: labelled cases, reasons, determinism, the coordinators' page."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from directory import search
from directory.recommend import recommend_experts
from directory.stats import record_expert_activity
from reference.models import Industry, Prefecture, Specialty
from tests import factories

URL = reverse("directory:recommend")


def make(name, bio, specialties, areas, base, industries=(), status="approved"):
    expert = factories.ExpertFactory(display_name=name, bio=bio, status=status,
                                     base_prefecture=Prefecture.objects.get(code=base))
    expert.specialties.set(Specialty.objects.filter(name__in=specialties))
    expert.areas.set(Prefecture.objects.filter(code__in=areas))
    expert.industries.set(Industry.objects.filter(code__in=industries))
    search.reindex_expert(expert.pk)
    return expert


@pytest.fixture
def panel(db):
    """Six experts whose right answers a coordinator would agree on."""
    return {
        "tokyo_shop": make("東京集客", "飲食店の集客をSNSとホームページで支援します。", ["店舗運営・集客", "IT・Web活用"], ["13"], "13", ["76"]),
        "busy_shop": make("多忙集客", "飲食店の集客をSNSとホームページで支援します。", ["店舗運営・集客", "IT・Web活用"], ["13"], "13", ["76"]),
        "osaka_shop": make("大阪集客", "飲食店の集客をSNSとホームページで支援します。", ["店舗運営・集客", "IT・Web活用"], ["27"], "27", ["76"]),
        "finance": make("東京財務", "資金繰りの改善と融資の申請、補助金の活用を支援します。", ["資金繰り・財務"], ["13", "14"], "13"),
        "succession": make("大阪承継", "後継者探しと事業承継の計画づくりを支援します。", ["事業承継"], ["27", "28"], "27"),
        "pending": make("審査中集客", "飲食店の集客をSNSとホームページで支援します。", ["店舗運営・集客"], ["13"], "13", ["76"], status="pending"),
    }


def ranked_names(text, prefecture, industry=None, limit=10):
    pref = Prefecture.objects.get(code=prefecture)
    ind = Industry.objects.get(code=industry) if industry else None
    return [e.display_name for e, _score, _reasons in recommend_experts(text, pref, ind, limit=limit)]


def test_restaurant_marketing_in_tokyo_ranks_the_local_marketer_first_and_the_busy_one_below(panel):
    record_expert_activity(panel["busy_shop"].pk, open_dispatches=4)
    names = ranked_names("飲食店の集客をSNSで増やしたい", "13", "76")
    assert names[:3] == ["東京集客", "多忙集客", "大阪集客"]
    assert "審査中集客" not in names


def test_cash_flow_problem_ranks_the_finance_expert_first(panel):
    assert ranked_names("資金繰りが苦しく、融資を受けたい", "13")[0] == "東京財務"


def test_succession_problem_in_osaka_ranks_the_succession_expert_first(panel):
    assert ranked_names("後継者がいないので事業承継を考えたい", "27")[0] == "大阪承継"


def test_spelling_variants_in_the_problem_still_match(panel):
    assert ranked_names("ｼｰｽﾞﾝの集客とＨＰ制作", "13", "76")[0] == "東京集客"


def test_reasons_name_the_matched_specialties_words_area_industry_and_load(panel):
    record_expert_activity(panel["busy_shop"].pk, open_dispatches=2)
    results = {e.display_name: (score, [str(r) for r in reasons]) for e, score, reasons in recommend_experts(
        "飲食店の集客をSNSで増やしたい", Prefecture.objects.get(code="13"), Industry.objects.get(code="76"))}
    score, reasons = results["東京集客"]
    assert "専門分野が一致: IT・Web活用、店舗運営・集客" in reasons
    assert any(r.startswith("一致した語:") and "集客" in r and "sns" in r for r in reasons)
    assert "対応地域: 東京都" in reasons and "得意業種: 飲食店" in reasons
    assert "対応中の派遣 2件" in results["多忙集客"][1]
    assert "東京都は対応地域外" in results["大阪集客"][1]


def test_better_rating_ranks_higher_when_all_else_is_equal(panel):
    for _ in range(5):
        record_expert_activity(panel["osaka_shop"].pk, rating=5)
        record_expert_activity(panel["tokyo_shop"].pk, rating=2)
    names = ranked_names("飲食店の集客", "27", "76")
    assert names.index("大阪集客") == 0
    scores = {e.display_name: s for e, s, _ in recommend_experts("飲食店の集客", None, None)}
    assert scores["大阪集客"] > scores["東京集客"]


def test_ranking_is_deterministic_and_ties_go_to_the_older_profile(panel):
    first = recommend_experts("集客", Prefecture.objects.get(code="13"), None)
    second = recommend_experts("集客", Prefecture.objects.get(code="13"), None)
    assert [(e.pk, s) for e, s, _ in first] == [(e.pk, s) for e, s, _ in second]
    tied = [(e.pk, s) for e, s, _ in first if e.display_name in ("東京集客", "多忙集客")]
    assert tied[0][1] == tied[1][1] and tied[0][0] < tied[1][0]


def test_empty_problem_text_still_ranks_local_experts(panel):
    names = ranked_names("", "27")
    assert set(names[:2]) == {"大阪集客", "大阪承継"}


def test_recommendation_uses_a_constant_number_of_queries(panel, django_assert_max_num_queries):
    for n in range(30):
        make(f"追加{n}", "飲食店の集客を支援。", ["店舗運営・集客"], ["13"], "13", ["76"])
    # On PostgreSQL four of them set the planner for the index query (savepoint, SET LOCAL twice, release).
    with django_assert_max_num_queries(15):
        results = recommend_experts("飲食店の集客", Prefecture.objects.get(code="13"), Industry.objects.get(code="76"))
    assert len(results) == 10


def test_recommendation_leaves_the_database_session_settings_as_they_were(panel):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")
    recommend_experts("飲食店の集客をSNSで増やしたい", Prefecture.objects.get(code="13"), None)
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


# --- the page ---------------------------------------------------------------------------------

@pytest.fixture
def coordinator(organisation):
    return factories.grant(factories.UserFactory(name="相談員"), Role.COORDINATOR, organisation=organisation)


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_smes_and_experts_get_404(login, sme, db):
    assert login(sme).get(URL).status_code == 404
    expert = factories.ExpertFactory()
    assert login(expert.user).get(URL).status_code == 404


@pytest.mark.parametrize("role", ["coordinator", "chief", "secretariat"])
def test_staff_see_ranked_experts_with_reasons(login, panel, organisation, role):
    user = factories.grant(factories.UserFactory(), role, organisation=organisation if role != "secretariat" else None)
    response = login(user).get(URL, {"text": "飲食店の集客をSNSで増やしたい", "prefecture": "13", "industry": Industry.objects.get(code="76").pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("東京集客") < page.index("大阪集客")
    assert "専門分野が一致: IT・Web活用、店舗運営・集客" in page


@pytest.mark.parametrize(
    "params, message",
    [({"text": ""}, "相談内容を入力してください。"), ({"text": "集客", "prefecture": "99"}, "選択肢の中から選んでください。"),
     ({"text": "集" * 2001}, "相談内容は2000文字以内で入力してください。"),
     ({"text": 'NEAR("集客" OR -*):'}, None)],
)
def test_bad_input_gets_a_japanese_message_not_an_error(login, coordinator, params, message):
    response = login(coordinator).get(URL, params)
    assert response.status_code == 200
    if message:
        assert message in response.content.decode()
