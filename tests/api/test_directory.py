"""The public directory in JSON: the same search as the web page, public fields only."""

import pytest

from directory import search
from directory.models import ExpertProfile, Organisation
from directory.public_views import reference_options
from directory.stats import record_expert_activity
from intake.stats import refresh_org_stats
from reference.models import Prefecture, Qualification, Specialty
from tests import factories

pytestmark = pytest.mark.django_db


def expert(name, bio, specialty="経営戦略", **kwargs):
    created = factories.ExpertFactory(display_name=name, bio=bio, **kwargs)
    created.specialties.set(Specialty.objects.filter(name=specialty))
    search.reindex_expert(created.pk)
    return created


def names(response):
    assert response.status_code == 200, response.content
    return [item["display_name"] for item in response.json()["items"]]


def test_anyone_searches_experts_with_spelling_variants_like_the_web_page(api_get):
    expert("表記太郎", "ホームページ制作を支援します。")
    expert("無関係花子", "就業規則と人事評価の整備。")
    assert names(api_get("/api/experts/", q="ＨＰ制作")) == ["表記太郎"]


def test_search_lists_only_approved_experts(api_get):
    expert("承認済み", "資金繰りの改善。")
    expert("審査中", "資金繰りの改善。", status=ExpertProfile.Status.PENDING)
    expert("停止中", "資金繰りの改善。", status=ExpertProfile.Status.SUSPENDED)
    assert names(api_get("/api/experts/", q="資金繰り")) == ["承認済み"]
    assert names(api_get("/api/experts/")) == ["承認済み"]


def test_search_results_carry_no_contact_data(api_get):
    person = expert("連絡先太郎", "資金繰りの改善。")
    person.user.phone = "090-1234-5678"
    person.user.save(update_fields=["phone"])
    body = api_get("/api/experts/", q="資金繰り").content.decode()
    detail = api_get(f"/api/experts/{person.pk}/").content.decode()
    for text in (body, detail):
        assert person.user.email not in text and "090-1234-5678" not in text and "email" not in text


def test_search_filters_by_specialty_prefecture_and_qualification(api_get):
    finance = Specialty.objects.get(name="資金繰り・財務")
    tax = Qualification.objects.get(name="税理士")
    found = expert("財務一郎", "中小企業の財務。", specialty="資金繰り・財務")
    found.qualifications.create(qualification=tax)
    expert("戦略二郎", "中小企業の戦略。")
    expert("大阪三郎", "中小企業の財務。", specialty="資金繰り・財務").areas.set(Prefecture.objects.filter(code="27"))
    assert names(api_get("/api/experts/", specialty=finance.pk, prefecture="13")) == ["財務一郎"]
    assert names(api_get("/api/experts/", qualification=tax.pk)) == ["財務一郎"]


def test_a_filter_naming_nothing_finds_nobody(api_get):
    expert("財務一郎", "中小企業の財務。")
    response = api_get("/api/experts/", specialty=999999)
    assert names(response) == [] and response.json()["count"] == 0


def test_search_cards_show_measured_facts(api_get):
    person = expert("実績太郎", "資金繰りの改善。")
    record_expert_activity(person.pk, dispatches_completed=2, rating=4)
    card = api_get("/api/experts/", q="資金繰り").json()["items"][0]
    assert card["facts"] == {"dispatches_completed": 2, "rating_count": 1, "rating_average": 4.0}
    assert card["specialties"] == ["経営戦略"] and card["url"] == f"/experts/{person.pk}/"


def test_search_is_paginated(api_get):
    for n in range(23):
        expert(f"専門家{n:02d}", "資金繰りの改善。")
    first = api_get("/api/experts/", q="資金繰り").json()
    second = api_get("/api/experts/", q="資金繰り", page=2).json()
    assert (first["count"], first["pages"], len(first["items"]), len(second["items"])) == (23, 2, 20, 3)
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    assert api_get("/api/experts/", q="資金繰り", page=3).json()["items"] == []


def test_bad_search_parameters_get_a_japanese_message(api_get):
    response = api_get("/api/experts/", q="あ" * 201, sort="cheapest")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "パラメーターが正しくありません。"
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert messages == {"q": "qは200文字以内で指定してください。", "sort": "sortは選択肢の中から指定してください。"}


def test_a_nul_character_is_refused_not_stored_or_crashing(api_get):
    assert api_get("/api/experts/", q="資金\x00繰り").status_code == 422


def test_expert_detail_shows_profile_and_facts(api_get):
    person = expert("詳細太郎", "資金繰りの改善。", headline="飲食店の財務")
    person.qualifications.create(qualification=Qualification.objects.get(name="税理士"))
    record_expert_activity(person.pk, dispatches_completed=1)
    body = api_get(f"/api/experts/{person.pk}/").json()
    assert body["display_name"] == "詳細太郎" and body["headline"] == "飲食店の財務"
    assert body["qualifications"] == [{"name": "税理士", "verified": False}]
    assert body["facts"]["dispatches_completed"] == 1 and body["facts"]["last_activity_at"]
    assert body["base_prefecture"] == {"code": "13", "name": "東京都"}
    assert body["photo_url"] is None


def test_an_expert_not_approved_is_not_found(api_get):
    person = expert("審査中", "資金繰り", status=ExpertProfile.Status.PENDING)
    response = api_get(f"/api/experts/{person.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("見つかりません")


def test_organisations_are_searched_with_measured_responsiveness(api_get):
    osaka = Prefecture.objects.get(code="27")
    factories.OrganisationFactory(name="東京都よろず支援拠点")
    factories.OrganisationFactory(name="堺商工会議所", kind=Organisation.Kind.CCI, prefecture=osaka, channel_web=True)
    refresh_org_stats()
    body = api_get("/api/organisations/", prefecture="27").json()
    assert [o["name"] for o in body["items"]] == ["堺商工会議所"]
    item = body["items"][0]
    assert item["kind"] == "cci" and item["channels"] == ["in_person", "web"]
    assert item["responsiveness"]["requests_measured"] == 0 and item["responsiveness"]["window_days"] == 90
    assert [o["name"] for o in api_get("/api/organisations/", channel="web").json()["items"]] == ["堺商工会議所"]


def test_organisation_detail_and_inactive_organisations(api_get):
    org = factories.OrganisationFactory(name="府中市商工会", phone="042-000-0000", address="府中町1-1")
    assert api_get(f"/api/organisations/{org.pk}/").json()["phone"] == "042-000-0000"
    org.is_active = False
    org.save(update_fields=["is_active"])
    assert api_get(f"/api/organisations/{org.pk}/").status_code == 404
    assert api_get("/api/organisations/").json()["count"] == 0


def test_reference_lists_the_ids_the_filters_take(api_get):
    body = api_get("/api/reference/").json()
    assert {"code": "13", "name": "東京都", "bureau": "関東経済産業局"} in body["prefectures"]
    assert any(s["name"] == "資金繰り・財務" for s in body["specialties"])


def test_public_search_is_rate_limited_per_client_with_a_json_429(api_get, settings):
    settings.API_SEARCH_RATE_LIMIT = 3
    assert [api_get("/api/experts/").status_code for _ in range(3)] == [200, 200, 200]
    refused = api_get("/api/organisations/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "待ってから" in refused.json()["detail"]


def test_rate_limit_is_counted_per_client_address(client, settings):
    settings.API_SEARCH_RATE_LIMIT = 1
    assert client.get("/api/experts/", REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get("/api/experts/", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/api/experts/", REMOTE_ADDR="192.0.2.2").status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_expert_search_issues_a_constant_number_of_queries(api_get, django_assert_max_num_queries, count):
    finance = Specialty.objects.get(name="資金繰り・財務")
    tax = Qualification.objects.get(name="税理士")
    for n in range(count):
        e = expert(f"専門{n}", "飲食店の資金繰りと集客。")
        e.specialties.add(finance)
        e.qualifications.create(qualification=tax)
    reference_options()  # the filter options are kept in memory for a minute, as for the web page
    with django_assert_max_num_queries(6):
        response = api_get("/api/experts/", q="資金繰り 集客", specialty=finance.pk, prefecture="13")
    assert len(names(response)) == min(count, 20)
    with django_assert_max_num_queries(6):
        assert len(names(api_get("/api/experts/", q="資金繰り"))) == min(count, 20)


@pytest.mark.parametrize("count", [3, 40])
def test_organisation_search_issues_a_constant_number_of_queries(api_get, django_assert_max_num_queries, count):
    for n in range(count):
        factories.OrganisationFactory(name=f"支援機関{n}")
    refresh_org_stats()
    with django_assert_max_num_queries(2):
        assert len(api_get("/api/organisations/").json()["items"]) == min(count, 30)
