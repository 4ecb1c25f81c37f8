"""Public expert search: 表記ゆれ, filters, visibility, bad input, constant queries."""

import pytest
from django.urls import reverse

from directory import search
from directory.models import ExpertProfile
from reference.models import Industry, Prefecture, Qualification, Specialty
from tests import factories

URL = reverse("directory:expert_search")


def names(response):
    return [e.display_name for e in response.context["experts"]]


def expert(name, bio, specialty="経営戦略", **kwargs):
    """An approved expert whose only indexed words are the name, the bio and one specialty."""
    created = factories.ExpertFactory(display_name=name, bio=bio, **kwargs)
    created.specialties.set(Specialty.objects.filter(name=specialty))
    search.reindex_expert(created.pk)
    return created


@pytest.mark.parametrize(
    "bio, query",
    [
        ("ホームページ制作を支援します。", "ＨＰ制作"),
        ("ホームページ制作を支援します。", "HP制作"),
        ("HP制作を支援します。", "ホームページ制作"),
        ("ＨＰ制作を支援します。", "ホームページ"),
        ("ウェブ集客の専門家です。", "ｳｪﾌﾞ"),
        ("ｳｪﾌﾞ集客の専門家です。", "Web"),
        ("Web集客の専門家です。", "ウェブ"),
        ("ウェブ集客の専門家です。", "うぇぶ"),
        ("ホームページの改善が得意です。", "ほーむぺーじ"),
        ("資金繰りの改善を支援します。", "資金繰"),
        ("資金繰の改善を支援します。", "資金繰り"),
        ("店舗集客支援を行っています。", "集客"),
        ("ネットショップの立ち上げ。", "ショップ"),
        ("見積の作り方を指導。", "見積もり"),
    ],
)
def test_free_text_finds_what_the_person_means_despite_spelling_variants(client, db, bio, query):
    # given
    expert("表記太郎", bio)
    expert("無関係花子", "就業規則と人事評価の整備。")
    # when
    response = client.get(URL, {"q": query})
    # then
    assert response.status_code == 200
    assert names(response) == ["表記太郎"]


def test_every_word_must_match_and_better_matches_come_first(client, db):
    expert("集客だけ", "飲食店の集客を支援。")
    expert("両方", "飲食店の集客とホームページ制作。ホームページ運用とホームページ改善。")
    expert("制作だけ", "ホームページ制作の専門家。")
    response = client.get(URL, {"q": "集客 ホームページ"})
    assert names(response) == ["両方"]


def test_when_no_expert_has_every_word_those_with_any_are_shown_with_a_notice(client, db):
    expert("集客だけ", "飲食店の集客を支援。")
    expert("無関係", "就業規則の整備。")
    response = client.get(URL, {"q": "集客 輸出"})
    assert names(response) == ["集客だけ"]
    assert "いずれかの語を含む専門家" in response.content.decode()


def test_filters_combine_with_each_other_and_with_free_text(client, db):
    # given
    finance = Specialty.objects.get(name="資金繰り・財務")
    osaka = Prefecture.objects.get(code="27")
    food = Industry.objects.get(code="M")
    tax = Qualification.objects.get(name="税理士")
    target = expert("大阪税理", "飲食店の資金繰りを支援。")
    target.specialties.add(finance)
    target.areas.add(osaka)
    target.industries.add(food)
    target.qualifications.create(qualification=tax)
    search.reindex_expert(target.pk)
    other_area = expert("東京税理", "飲食店の資金繰りを支援。")
    other_area.specialties.add(finance)
    other_area.industries.add(food)
    other_area.qualifications.create(qualification=tax)
    no_qualification = expert("大阪無資格", "飲食店の資金繰りを支援。")
    no_qualification.specialties.add(finance)
    no_qualification.areas.add(osaka)
    no_qualification.industries.add(food)
    # when
    base = {"specialty": finance.pk, "prefecture": "27", "industry": food.pk}
    with_all = client.get(URL, {**base, "qualification": tax.pk, "q": "資金繰り"})
    filters_only = client.get(URL, base)
    wrong_text = client.get(URL, {**base, "q": "特許"})
    # then
    assert names(with_all) == ["大阪税理"]
    assert sorted(names(filters_only)) == ["大阪無資格", "大阪税理"]
    assert names(wrong_text) == []


def test_industry_major_division_finds_experts_of_its_middle_divisions(client, db):
    middle = Industry.objects.filter(parent__isnull=False).select_related("parent").first()
    target = expert("中分類", "支援します。")
    target.industries.add(middle)
    expert("業種なし", "支援します。")
    response = client.get(URL, {"industry": middle.parent.pk})
    assert names(response) == ["中分類"]


@pytest.mark.parametrize("query", ["山田", "やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "たろう"])
def test_name_search_accepts_kanji_and_kana(client, db, query):
    expert("山田太郎", "支援します。", display_name_kana="やまだ たろう")
    expert("佐藤花子", "支援します。", display_name_kana="さとう はなこ")
    response = client.get(URL, {"name": query})
    assert names(response) == ["山田太郎"]


def test_pending_rejected_and_suspended_experts_never_appear(client, db):
    for status in ["pending", "rejected", "suspended"]:
        expert(f"非公開{status}", "ホームページ制作", status=status)
    expert("公開", "ホームページ制作")
    assert names(client.get(URL, {"q": "ホームページ"})) == ["公開"]
    assert names(client.get(URL)) == ["公開"]


@pytest.mark.parametrize(
    "query",
    ['"', '""', "*", "集客*", "NEAR", "NEAR(集客 店舗)", "集客 OR", "OR", "AND", "NOT 集客", "-集客", "tokens:集客",
     "(集客", "集客)", "^集客", "'; DROP TABLE x; --", "!!!", "　", "a" * 200, "&&||!:*"],
)
def test_query_operator_characters_are_plain_text_and_never_an_error(client, db, query):
    expert("集客太郎", "店舗の集客を支援。")
    response = client.get(URL, {"q": query})
    assert response.status_code == 200


def test_empty_query_lists_every_public_expert(client, db):
    expert("一人目", "支援。")
    expert("二人目", "支援。")
    assert sorted(names(client.get(URL, {"q": ""}))) == ["一人目", "二人目"]


def test_a_1000_character_query_gets_a_japanese_message_not_an_error(client, db):
    expert("集客太郎", "店舗の集客を支援。")
    response = client.get(URL, {"q": "集客" * 500})
    assert response.status_code == 200
    assert "キーワードは200文字以内で入力してください。" in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"specialty": "999999"}, {"specialty": "abc"}, {"prefecture": "99"}, {"industry": "x"},
               {"qualification": "-1"}, {"sort": "evil"}, {"page": "9999"}, {"page": "abc"}],
)
def test_unknown_filter_values_get_a_message_and_the_rest_still_searches(client, db, params):
    expert("集客太郎", "店舗の集客を支援。")
    response = client.get(URL, params)
    assert response.status_code == 200
    if "page" not in params:
        assert "選択肢の中から選んでください。" in response.content.decode()
    assert names(response) == ["集客太郎"]


def test_search_finds_the_new_word_not_the_old_after_the_profile_changes(client, db):
    # given
    from directory import actions

    target = expert("変更太郎", "特許の相談に乗ります。")
    assert names(client.get(URL, {"q": "特許"})) == ["変更太郎"]
    data = {
        "display_name": "変更太郎", "display_name_kana": "へんこうたろう", "headline": "", "bio": "輸出の相談に乗ります。",
        "career": "", "base_prefecture": target.base_prefecture, "is_corporation": False, "invoice_number": "",
        "specialties": list(target.specialties.all()), "industries": [], "areas": list(target.areas.all()),
        "qualifications": [],
    }
    # when
    actions.save_expert_profile(target.user, data)
    # then
    assert names(client.get(URL, {"q": "特許"})) == []
    assert names(client.get(URL, {"q": "輸出"})) == ["変更太郎"]


def test_approval_makes_the_expert_findable(client, db, secretariat):
    from directory import actions

    target = expert("審査中", "輸出の相談。", status=ExpertProfile.Status.PENDING)
    assert names(client.get(URL, {"q": "輸出"})) == []
    actions.decide_expert(secretariat, target.pk, approve=True)
    assert names(client.get(URL, {"q": "輸出"})) == ["審査中"]


def test_sort_by_rating_and_by_recent_activity_use_the_measured_facts(client, db):
    from datetime import timedelta

    from django.utils import timezone

    from directory.stats import record_expert_activity

    low, high, none = expert("低評価", "集客。"), expert("高評価", "集客。"), expert("評価なし", "集客。")
    record_expert_activity(low.pk, rating=2, at=timezone.now())
    record_expert_activity(high.pk, rating=5, at=timezone.now() - timedelta(days=30))
    assert names(client.get(URL, {"q": "集客", "sort": "rating"})) == ["高評価", "低評価", "評価なし"]
    assert names(client.get(URL, {"q": "集客", "sort": "activity"})) == ["低評価", "高評価", "評価なし"]


def test_results_are_paginated(client, db):
    for n in range(23):
        expert(f"専門{n}", "集客。")
    first = client.get(URL, {"q": "集客"})
    second = client.get(URL, {"q": "集客", "page": 2})
    assert len(names(first)) == 20 and len(names(second)) == 3
    assert not set(names(first)) & set(names(second))


def test_htmx_request_gets_only_the_results_fragment(client, db):
    expert("集客太郎", "店舗の集客を支援。")
    response = client.get(URL, {"q": "集客"}, HTTP_HX_REQUEST="true")
    assert "集客太郎" in response.content.decode()
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_search_page_issues_a_constant_number_of_queries(client, db, django_assert_max_num_queries, count):
    finance = Specialty.objects.get(name="資金繰り・財務")
    tax = Qualification.objects.get(name="税理士")
    for n in range(count):
        e = expert(f"専門{n}", "飲食店の資金繰りと集客。")
        e.specialties.add(finance)
        e.qualifications.create(qualification=tax)
    with django_assert_max_num_queries(14):
        response = client.get(URL, {"q": "資金繰り 集客", "specialty": finance.pk, "prefecture": "13"})
    assert len(names(response)) == min(count, 20)
