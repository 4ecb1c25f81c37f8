"""A user's roles come from the shared cache between requests (core.cache.role_grants): a granted,
refused or removed role takes effect on the very next request, and one user's roles never reach another."""

import pytest
from django.urls import reverse

from accounts import actions
from accounts.models import RoleGrant, User
from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)  # as the next request loads it


def test_roles_are_read_from_the_cache_on_the_next_request(sme, django_assert_num_queries):
    assert _fresh(sme).role_set() == {Role.SME}
    user = _fresh(sme)
    with django_assert_num_queries(0):
        assert user.role_set() == {Role.SME}


def test_a_refused_role_is_gone_on_the_next_request(chief, organisation):
    applicant = factories.UserFactory()
    grant = RoleGrant.objects.create(user=applicant, role=Role.COORDINATOR, organisation=organisation,
                                     status=RoleGrant.Status.APPROVED)
    assert Role.COORDINATOR in _fresh(applicant).role_set()
    grant.status = RoleGrant.Status.PENDING
    grant.save(update_fields=["status"])
    actions.decide_role(chief, grant.pk, approve=False, reason="所属が確認できません")
    assert _fresh(applicant).role_set() == set()


def test_an_approved_role_counts_on_the_next_request(chief, organisation):
    applicant = factories.UserFactory()
    grant = RoleGrant.objects.create(user=applicant, role=Role.COORDINATOR, organisation=organisation)
    assert _fresh(applicant).role_set() == set()
    actions.decide_role(chief, grant.pk, approve=True)
    assert _fresh(applicant).organisation_ids() == {organisation.pk}


def test_a_deleted_role_no_longer_opens_its_pages(login, secretariat):
    client = login(secretariat)
    assert client.get(reverse("core:audit_log")).status_code == 200
    RoleGrant.objects.filter(user=secretariat).delete()
    assert client.get(reverse("core:audit_log")).status_code in (302, 404)


def test_one_users_roles_never_reach_another(sme, secretariat):
    assert _fresh(secretariat).role_set() == {Role.SECRETARIAT}
    assert _fresh(sme).role_set() == {Role.SME}
    assert _fresh(secretariat).role_set() == {Role.SECRETARIAT}


def test_without_a_cache_server_roles_come_from_the_database(sme, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    from core import cache

    monkeypatch.setattr(cache, "cache", RedisCache("redis://127.0.0.1:1/0", {}))  # nothing listens there
    assert _fresh(sme).role_set() == {Role.SME}


def test_without_a_shared_cache_nothing_is_kept_between_requests(sme, settings, django_assert_num_queries):
    settings.CACHE_SHARED = False  # CACHE_URL unset: several app processes, each with a cache of its own
    assert _fresh(sme).role_set() == {Role.SME}
    user = _fresh(sme)
    with django_assert_num_queries(1):
        assert user.role_set() == {Role.SME}
