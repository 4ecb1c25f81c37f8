"""The audit trail of personal-data changes, read by the secretariat and administrators."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from core import audit
from core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_secretariat_reads_the_audit_log_filtered_by_type(client, login, secretariat, sme):
    company = sme.memberships.get().company
    audit.record(sme, "company.updated", company, {"employees": [12, 13]})
    audit.record(sme, "user.profile_updated", sme, {"name": ["a", "b"]})
    login(secretariat)
    page = client.get(reverse("core:audit_log"), {"type": "companies.company"}).content.decode()
    assert "company.updated" in page and company.name in page and sme.name in page
    assert "user.profile_updated" not in page


def test_audit_log_paginates(client, login, admin_user, sme):
    for n in range(55):
        audit.record(sme, "user.profile_updated", sme, {"n": n})
    login(admin_user)
    first = client.get(reverse("core:audit_log"))
    assert len(first.context["page"].object_list) == 50
    second = client.get(reverse("core:audit_log"), {"page": 2})
    assert len(second.context["page"].object_list) == 5 + AuditEvent.objects.count() - 55


@pytest.mark.parametrize("role", [Role.SME, Role.EXPERT, Role.COORDINATOR, Role.CHIEF, Role.BUREAU, Role.HQ, Role.DESK])
def test_others_get_404_on_the_audit_log(client, login, organisation, role):
    user = factories.grant(factories.UserFactory(), role, organisation=organisation if role in (Role.COORDINATOR, Role.CHIEF, Role.DESK) else None)
    login(user)
    assert client.get(reverse("core:audit_log")).status_code == 404


def test_audit_records_ip_and_masks_secrets(rf, sme):
    request = rf.post("/", REMOTE_ADDR="203.0.113.7")
    before = {"password": "old", "account_number": "1234567", "name": "A"}
    after = {"password": "new", "account_number": "7654321", "name": "B"}
    event = audit.record(sme, "user.profile_updated", sme, audit.diff(before, after), request=request)
    assert event.ip_address == "203.0.113.7"
    assert event.changes == {"account_number": ["***", "***"], "name": ["A", "B"], "password": ["***", "***"]}


def test_anonymous_actor_is_recorded_as_none(sme):
    from django.contrib.auth.models import AnonymousUser

    event = audit.record(AnonymousUser(), "user.registered", sme)
    assert event.actor is None and event.object_id == str(sme.pk)
