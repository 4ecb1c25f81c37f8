"""Pages cost a fixed number of queries, however much data there is.

Limits leave a little headroom over today's counts (home 6, company 8, audit 6); an N+1 on the
larger data set goes past them."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from companies.models import Invitation, Membership
from tests import factories

pytestmark = pytest.mark.django_db


def add_companies(user, n):
    for _ in range(n):
        factories.company_with_member(user=user)


def add_members(company, owner, n):
    for _ in range(n):
        Membership.objects.create(company=company, user=factories.UserFactory())
        Invitation.objects.create(company=company, email=f"{factories.UserFactory.build().email}", invited_by=owner)


@pytest.mark.parametrize("companies", [1, 8])
def test_home_page_queries_do_not_grow_with_companies(client, login, django_assert_max_num_queries, companies):
    user = factories.grant(factories.UserFactory(), Role.SME)
    add_companies(user, companies)
    login(user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("accounts:home"))
    assert response.content.decode().count("/companies/") >= companies


@pytest.mark.parametrize("members", [1, 10])
def test_company_detail_queries_do_not_grow_with_members(client, login, django_assert_max_num_queries, members):
    company, owner = factories.company_with_member()
    add_members(company, owner, members)
    login(owner)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("companies:detail", args=[company.pk]))
    assert response.status_code == 200
    assert len(response.context["members"]) == members + 1


@pytest.mark.parametrize("events", [1, 30])
def test_audit_page_queries_do_not_grow_with_events(client, login, secretariat, django_assert_max_num_queries, events):
    from core import audit

    for _ in range(events):
        audit.record(factories.UserFactory(), "user.profile_updated", secretariat, {})
    login(secretariat)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("core:audit_log")).status_code == 200


def test_front_page_for_anonymous_is_cheap(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert client.get(reverse("core:index")).status_code == 200
