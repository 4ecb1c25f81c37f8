"""The menu is rendered once per language and role set ({% memo %} in base.html): each user still sees
the links of their own roles and their own name."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(login):
    def get(user=None, language="ja"):
        client = login(user) if user is not None else Client()
        return client.get(reverse("core:index"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    return get


def test_each_role_keeps_its_own_menu(page, sme, secretariat):
    sme_page, staff_page = page(sme), page(secretariat)
    assert reverse("intake:mine") in sme_page and reverse("core:audit_log") not in sme_page
    assert reverse("core:audit_log") in staff_page and reverse("intake:mine") not in staff_page
    assert reverse("intake:mine") in page(sme)  # and again, from the memo


def test_each_user_sees_their_own_name(page, sme):
    other = factories.grant(factories.UserFactory(name="二人目の事業者"), Role.SME)
    assert sme.name in page(sme)
    second = page(other)
    assert "二人目の事業者" in second and sme.name not in second


def test_anonymous_visitors_get_the_login_links_not_a_members_menu(page, sme):
    page(sme)
    anonymous = page()
    assert reverse("accounts:login") in anonymous and reverse("accounts:home") not in anonymous


def test_the_menu_follows_the_language(page, sme):
    assert "マイページ" in page(sme, "ja")
    assert "マイページ" not in page(sme, "en")
    assert '<option value="en" lang="en" selected>' in page(sme, "en")
    assert '<option value="ja" lang="ja" selected>' in page(sme, "ja")


def test_a_new_role_shows_its_links_on_the_next_page(page):
    user = factories.UserFactory()
    assert reverse("dispatch:list") not in page(user)
    factories.grant(user, Role.SME)
    assert reverse("dispatch:list") in page(user)
