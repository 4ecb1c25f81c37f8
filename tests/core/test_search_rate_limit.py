"""The public search pages are limited per client: a scraper gets a polite 429, others are unaffected."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["directory:expert_search", "directory:org_list"])
def test_a_client_over_the_limit_is_asked_to_wait_and_others_still_search(client, settings, name):
    settings.SEARCH_RATE_LIMIT, settings.SEARCH_RATE_WINDOW = 3, 60
    url = reverse(name)
    assert [client.get(url, REMOTE_ADDR="198.51.100.1").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url, REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert "アクセスが集中しています" in refused.content.decode()
    assert client.get(url, REMOTE_ADDR="198.51.100.2").status_code == 200


def test_the_two_search_pages_share_one_count(client, settings):
    settings.SEARCH_RATE_LIMIT, settings.SEARCH_RATE_WINDOW = 2, 60
    assert client.get(reverse("directory:expert_search")).status_code == 200
    assert client.get(reverse("directory:org_list")).status_code == 200
    assert client.get(reverse("directory:expert_search")).status_code == 429


def test_a_zero_limit_turns_it_off(client, settings):
    settings.SEARCH_RATE_LIMIT = 0
    assert {client.get(reverse("directory:expert_search")).status_code for _ in range(5)} == {200}
