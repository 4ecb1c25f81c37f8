"""The pages of the load benchmark (bench/load.py) in few queries: the prefecture options and the
programme year come from memory, the organisation search counts while it pages."""

import pytest
from django.test import Client
from django.urls import reverse

from dispatch.models import State
from tests import factories
from tests.dispatch.builders import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # count the rendering


def test_the_organisation_search_is_one_query(django_assert_num_queries):
    factories.OrganisationFactory.create_batch(35)
    client = Client()
    client.get(reverse("directory:org_list"))  # the prefecture options into memory
    with django_assert_num_queries(1):
        page = client.get(reverse("directory:org_list"), {"prefecture": "13", "page": "2"}).content.decode()
    assert "35件" in page and "2 / 2" in page


def test_a_page_past_the_end_shows_the_last_page(django_assert_max_num_queries):
    factories.OrganisationFactory.create_batch(3)
    client = Client()
    client.get(reverse("directory:org_list"))
    with django_assert_max_num_queries(3):
        page = client.get(reverse("directory:org_list"), {"page": "9"}).content.decode()
    assert "3件" in page


@pytest.mark.parametrize("name", ["dispatch:list", "dispatch:wallet"])
def test_the_smes_pages_need_no_programme_query_once_warm(login, name, django_assert_max_num_queries):
    world = World()
    world.case_in(State.APPLIED)
    client = login(world.sme)
    client.get(reverse(name))
    # session, user, roles, then the page's own: the cases (list); memberships, counts, photo consent (wallet)
    with django_assert_max_num_queries(4 if name == "dispatch:list" else 6):
        assert client.get(reverse(name)).status_code == 200
