"""Public expert search: 表記ゆれ, filters, visibility, bad input, paging, constant queries, and the same
results as the plain ORM query it replaced."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from directory import search, text
from directory.models import ExpertProfile, ExpertStats
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


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "ホームページ"}, {"q": "ホームページ 輸出"}, {"q": "ホームページ", "prefecture": "13"},
     {"prefecture": "13"}, {"prefecture": "13", "sort": "rating"}, {"sort": "activity"}, {"name": "こうかい"},
     {"q": "ホームページ", "sort": "rating"}, {"specialty": "SPECIALTY"}, {"industry": "INDUSTRY"}],
)
def test_pending_rejected_and_suspended_experts_never_appear(client, db, params):
    # given
    specialty = Specialty.objects.get(name="経営戦略")
    industry = Industry.objects.get(code="M")
    everyone = [expert(f"非公開{status}", "ホームページ制作", status=status, display_name_kana="こうかい")
                for status in ["pending", "rejected", "suspended"]]
    everyone.append(expert("公開", "ホームページ制作", display_name_kana="こうかい"))
    for e in everyone:
        e.industries.add(industry)
    params = {**params, **{k: {"SPECIALTY": specialty.pk, "INDUSTRY": industry.pk}.get(v, v) for k, v in params.items()}}
    # when
    response = client.get(URL, params)
    # then
    assert names(response) == ["公開"]
    assert "1人の専門家が見つかりました" in response.content.decode()


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
    assert "23人の専門家が見つかりました" in second.content.decode()
    assert "2 / 2" in second.content.decode()


@pytest.mark.parametrize("page, shown", [("3", 2), ("99", 2), ("0", 2), ("-1", 2), ("abc", 1), ("", 1)])
def test_a_page_number_out_of_range_shows_the_last_page_and_one_not_a_number_the_first(client, db, page, shown):
    for n in range(23):
        expert(f"専門{n}", "集客。")
    response = client.get(URL, {"q": "集客", "page": page})
    assert response.status_code == 200
    assert f"{shown} / 2" in response.content.decode()
    assert len(names(response)) == (3 if shown == 2 else 20)


def test_a_card_shows_specialties_areas_qualifications_and_measured_facts(client, db):
    from directory.stats import record_expert_activity

    target = expert("山田太郎", "店舗の集客を支援。", specialty="資金繰り・財務")
    target.specialties.add(Specialty.objects.get(name="経営戦略"))
    target.areas.set(Prefecture.objects.filter(code__in=["27", "13"]))
    target.qualifications.create(qualification=Qualification.objects.get(name="税理士"))
    target.qualifications.create(qualification=Qualification.objects.get(name="中小企業診断士"),
                                 verified_at=timezone.now())
    record_expert_activity(target.pk, dispatches_completed=3, rating=4)
    record_expert_activity(target.pk, rating=5)
    page = client.get(URL, {"q": "集客"}).content.decode()
    specialties = "、".join(s.name for s in target.specialties.order_by("sort_order", "pk"))
    assert f'<a href="/experts/{target.pk}/">山田太郎</a>' in page
    assert f"専門分野：{specialties}" in page
    assert "対応地域：東京都、大阪府" in page
    assert "資格：税理士、中小企業診断士（確認済み）" in page
    assert "派遣実績 3件・評価 4.5（2件）" in page


def test_a_card_without_qualifications_or_ratings_says_so(client, db):
    expert("佐藤花子", "店舗の集客を支援。")
    page = client.get(URL, {"q": "集客"}).content.decode()
    assert "資格：—" in page
    assert "派遣実績 0件・評価 なし" in page


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
    # One query ranks and counts, one loads the page's experts, one their names (+4 when the in-memory
    # reference data is refreshed).
    with django_assert_max_num_queries(7):
        response = client.get(URL, {"q": "資金繰り 集客", "specialty": finance.pk, "prefecture": "13"})
    assert len(names(response)) == min(count, 20)


# --- the same results as the plain ORM query the search replaced -------------------------------------

def reference_match(queryset, terms, mode):
    """Index matches joined to the profiles, with `fts_rank` (lower is better): the search's first form."""
    profile = ExpertProfile._meta.db_table
    if connection.vendor == "postgresql":
        tsquery, params = search._tsquery_expression(terms, mode)
        return queryset.extra(
            tables=["directory_expertsearchdoc"],
            where=[f"directory_expertsearchdoc.expert_id = {profile}.id", f"directory_expertsearchdoc.tsv @@ {tsquery}"],
            params=params, select={"fts_rank": f"-ts_rank(directory_expertsearchdoc.tsv, {tsquery})"}, select_params=params,
        )
    return queryset.extra(
        tables=["directory_expert_fts"],
        where=[f"{profile}.id = directory_expert_fts.rowid", "directory_expert_fts MATCH %s"],
        params=[search._fts5_expression(terms, mode)], select={"fts_rank": "bm25(directory_expert_fts)"},
    )


def reference_search(q="", sort=search.SORT_RELEVANCE, **filters):
    """(ids in display order, broadened): approved experts, filtered, matched and ordered with the ORM."""
    queryset = search.filter_experts(search.public_experts(), **filters)
    terms, broadened = text.query_terms(q), False
    if terms:
        matched = reference_match(queryset, terms, search.AND)
        if not matched.exists() and len(terms) > 1:
            matched, broadened = reference_match(queryset, terms, search.OR), True
        queryset = matched
    order = {
        search.SORT_RATING: [F("stats__rating_average").desc(nulls_last=True), F("stats__rating_count").desc(nulls_last=True)],
        search.SORT_ACTIVITY: [F("stats__last_activity_at").desc(nulls_last=True)],
    }.get(sort, ["fts_rank"] if terms else [F("stats__dispatches_completed").desc(nulls_last=True)])
    return list(queryset.order_by(*order, "pk").values_list("pk", flat=True)), broadened


BIOS = ["飲食店の集客を支援。", "ホームページ制作と集客。集客の専門家です。", "資金繰りと補助金の申請。", "集客、ホームページ、資金繰り。",
        "輸出の手続きと貿易。", "店舗集客支援とホームページ。ホームページ運用。", "事業承継の計画づくり。", "集客"]


@pytest.fixture
def population(db):
    """40 experts with overlapping words, filters and measured facts (ties included), some not public."""
    from directory.stats import record_expert_activity

    rng = random.Random(3)
    specialties = list(Specialty.objects.filter(name__in=["経営戦略", "資金繰り・財務", "IT・Web活用"]))
    qualifications = list(Qualification.objects.all()[:3])
    industries = [Industry.objects.get(code="M"), *Industry.objects.filter(parent__code="M")[:1], Industry.objects.get(code="E")]
    statuses = ["approved"] * 5 + ["pending", "rejected", "suspended"]
    for n in range(40):
        e = expert(f"候補{n}", BIOS[n % len(BIOS)], status=statuses[n % len(statuses)],
                   display_name_kana="やまだ" if n % 3 else "すずき")
        e.specialties.set(rng.sample(specialties, rng.randint(1, 2)))
        e.areas.set(Prefecture.objects.filter(code__in=rng.sample(["13", "14", "27"], rng.randint(1, 2))))
        e.industries.set(rng.sample(industries, rng.randint(0, 2)))
        for qualification in rng.sample(qualifications, rng.randint(0, 2)):
            e.qualifications.create(qualification=qualification)
        if n % 5 == 1:
            record_expert_activity(e.pk, dispatches_completed=rng.randint(1, 2), rating=rng.randint(3, 5),
                                   at=timezone.now() - timedelta(days=rng.randint(0, 3)))
        if n % 11 == 4:
            ExpertStats.objects.filter(expert=e).delete()  # no measured facts at all: sorted last
    return {"specialty": specialties[0], "qualification": qualifications[0], "industry": industries[0],
            "prefecture": Prefecture.objects.get(code="27")}


QUERIES = ["", "集客", "集客 ホームページ", "ホームページ 資金繰り", "集客 輸出", "ほーむぺーじ", "!!!"]
FILTER_SETS = [set(), {"prefecture"}, {"specialty", "prefecture"}, {"industry"}, {"qualification"}, {"name"},
               {"specialty", "industry", "qualification"}]
SORTS = [search.SORT_RELEVANCE, search.SORT_RATING, search.SORT_ACTIVITY]


def combinations(population):
    for q in QUERIES:
        for wanted in FILTER_SETS:
            for sort in SORTS:
                filters = {name: population[name] for name in wanted - {"name"}}
                if "name" in wanted:
                    filters["name"] = "ヤマダ"
                yield q, sort, filters


def test_every_search_lists_the_same_experts_in_the_same_order_as_the_plain_query(population):
    checked = 0
    for q, sort, filters in combinations(population):
        expected, broadened = reference_search(q, sort, **filters)
        result = search.search_experts(q, sort, **filters)
        assert [e.pk for e in result.experts[0:100]] == expected, (q, sort, filters)
        assert (result.count, result.broadened) == (len(expected), broadened), (q, sort, filters)
        checked += bool(expected)
    assert checked > 100  # most combinations find someone


def test_pages_of_any_size_put_together_give_the_whole_list(population):
    for q, sort, filters in combinations(population):
        if filters and sort != search.SORT_RATING:
            continue
        expected, _broadened = reference_search(q, sort, **filters)
        for size in [1, 7, 20]:
            result = search.search_experts(q, sort, **filters)
            pages = [result.experts.page(n, size) for n in range(1, -(-len(expected) // size) + 1)]
            assert [e.pk for p in pages for e in p.object_list] == expected, (q, sort, filters, size)
            assert all(p.paginator.count == len(expected) for p in pages)


def test_when_no_expert_has_every_word_the_count_and_order_are_those_of_any_word(population):
    expected, broadened = reference_search("集客 輸出")
    result = search.search_experts("集客 輸出")
    assert broadened and result.broadened
    assert [e.pk for e in result.experts.page(2, 5).object_list] == expected[5:10]
    assert result.count == len(expected) > 10
