"""Anonymous public pages are kept briefly in the page cache (core/cache.py): what a visitor sees must not
change because of it — its own CSRF token, its language, fresh data after an edit — and nothing of a
logged-in user's page is ever kept."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.roles import Role
from reference.models import Prefecture
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def tokyo(db):
    return factories.OrganisationFactory(name="東京都よろず支援拠点", municipality="千代田区")


def test_a_second_visitor_gets_the_page_without_a_query(tokyo, django_assert_num_queries):
    url = reverse("directory:org_list") + "?prefecture=13"
    first = Client().get(url)
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.status_code == 200
    assert "東京都よろず支援拠点" in second.content.decode()
    any_token = re.compile(r"[A-Za-z0-9]{64}")  # each visitor's own CSRF token (form and htmx header)
    assert any_token.sub("", second.content.decode()) == any_token.sub("", first.content.decode())


def test_each_visitor_gets_a_csrf_token_of_its_own_and_can_switch_language(tokyo):
    url = reverse("directory:org_detail", args=[tokyo.pk])
    Client().get(url)  # now cached
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    token = TOKEN.search(page.content.decode()).group(1)
    assert _unmask_cipher_token(token) == visitor.cookies["csrftoken"].value
    switched = visitor.post(reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert '<html lang="en">' in visitor.get(url).content.decode()


def test_no_cookie_of_the_first_visitor_is_handed_to_the_next(tokyo):
    url = reverse("directory:org_list")
    first = Client().get(url)
    second = Client().get(url)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert first.cookies["csrftoken"].value not in second.content.decode()


def test_the_language_is_part_of_the_key(tokyo):
    url = reverse("directory:org_list")
    assert '<html lang="ja">' in Client().get(url).content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english.get(url).content.decode()
    assert '<html lang="ja">' in Client().get(url).content.decode()


def test_a_logged_in_user_gets_its_own_page_and_leaves_nothing_behind(login, tokyo, sme):
    url = reverse("directory:org_list")
    Client().get(url)  # an anonymous copy is cached
    mine = login(sme).get(url).content.decode()
    assert sme.name in mine and reverse("accounts:logout") in mine
    other = factories.grant(factories.UserFactory(name="別の利用者"), Role.SME)
    theirs = Client()
    theirs.force_login(other)
    page = theirs.get(url).content.decode()
    assert "別の利用者" in page and sme.name not in page
    anonymous = Client().get(url).content.decode()
    assert sme.name not in anonymous and "別の利用者" not in anonymous
    assert reverse("accounts:login") in anonymous


def test_a_changed_organisation_shows_on_the_next_request(tokyo):
    url = reverse("directory:org_list")
    assert "東京都よろず支援拠点" in Client().get(url).content.decode()
    tokyo.name = "東京都よろず支援拠点（新宿）"
    tokyo.save(update_fields=["name"])
    assert "東京都よろず支援拠点（新宿）" in Client().get(url).content.decode()


def test_a_suspended_expert_leaves_the_cached_search_and_page():
    expert = factories.ExpertFactory(display_name="山田花子")
    search, page = reverse("directory:expert_search"), reverse("directory:expert_detail", args=[expert.pk])
    assert "山田花子" in Client().get(search).content.decode()
    assert Client().get(page).status_code == 200
    expert.status = expert.Status.SUSPENDED
    expert.save(update_fields=["status"])
    assert "山田花子" not in Client().get(search).content.decode()
    assert Client().get(page).status_code == 404


def test_a_renamed_prefecture_shows_in_the_search_form(tokyo):
    url = reverse("directory:org_list")
    assert ">東京都</option>" in Client().get(url).content.decode()
    tokyo_pref = Prefecture.objects.get(code="13")
    tokyo_pref.name = "東京都（改称）"
    tokyo_pref.save(update_fields=["name"])
    assert ">東京都（改称）</option>" in Client().get(url).content.decode()


def test_a_flash_message_is_shown_and_not_kept(tokyo):
    url = reverse("directory:org_list")
    Client().get(url)  # cached without a message
    request = RequestFactory().get(url)
    visitor = Client()
    visitor.cookies["messages"] = CookieStorage(request)._encode([Message(constants.SUCCESS, "ログアウトしました。")])
    assert "ログアウトしました。" in visitor.get(url).content.decode()
    assert "ログアウトしました。" not in Client().get(url).content.decode()


def test_htmx_fragments_and_full_pages_are_kept_apart():
    factories.ExpertFactory(display_name="山田花子")
    url = reverse("directory:expert_search") + "?q=集客"
    fragment = Client().get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results").content.decode()
    full = Client().get(url).content.decode()
    assert "<html" not in fragment
    assert "<html" in full


def test_every_request_still_counts_against_the_rate_limit(settings, tokyo):
    settings.SEARCH_RATE_LIMIT, settings.SEARCH_RATE_WINDOW = 2, 60
    url = reverse("directory:org_list")
    statuses = [Client().get(url, REMOTE_ADDR="198.51.100.7").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_zero_seconds_turns_the_cache_off(settings, tokyo, django_assert_max_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = reverse("directory:org_list")
    Client().get(url)
    with django_assert_max_num_queries(2) as counted:
        Client().get(url)
    assert len(counted.captured_queries) >= 1


def test_without_a_cache_server_pages_are_rendered(tokyo, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    from core import cache

    monkeypatch.setattr(cache, "cache", RedisCache("redis://127.0.0.1:1/0", {}))  # nothing listens there
    for _ in range(2):
        assert "東京都よろず支援拠点" in Client().get(reverse("directory:org_list")).content.decode()


def test_without_a_shared_cache_every_visitor_gets_a_fresh_page(tokyo, settings):
    settings.CACHE_SHARED = False  # another app process could not tell this one that the data changed
    url = reverse("directory:org_list")
    Client().get(url)
    # written by "another process": no signal, no bump; nothing was kept, so the new name shows at once
    type(tokyo).objects.filter(pk=tokyo.pk).update(name="東京都よろず支援拠点（新）")
    assert "（新）" in Client().get(url).content.decode()


def test_the_top_page_is_kept_for_anonymous_visitors_only(login, sme, django_assert_num_queries):
    Client().get("/")
    with django_assert_num_queries(0):
        assert Client().get("/").status_code == 200
    page = login(sme).get("/").content.decode()
    assert sme.name in page  # the member's own menu, never the anonymous copy
