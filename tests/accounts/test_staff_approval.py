"""Support-organisation staff sign up for one organisation; its chief coordinator or an admin approves."""

import pytest
from django.urls import reverse

from accounts.models import RoleGrant, User
from accounts.roles import Role
from core.models import AuditEvent
from notifications.models import Outbox
from tests import factories

pytestmark = pytest.mark.django_db

SIGNUP = {
    "role": "coordinator",
    "name": "相談員次郎",
    "name_kana": "そうだんいんじろう",
    "email": "jiro@yorozu-tokyo.example.jp",
    "password1": "soudan-2026-secure",
    "password2": "soudan-2026-secure",
    "agree": "on",
}


@pytest.fixture
def pending_grant(client, organisation, chief):
    client.post(reverse("accounts:signup_kind", args=["staff"]), {**SIGNUP, "organisation": organisation.pk})
    client.logout()
    return RoleGrant.objects.get(user__email=SIGNUP["email"])


def decide(client, grant, decision="approve", reason=""):
    return client.post(reverse("accounts:decide_grant", args=[grant.pk]), {"decision": decision, "reason": reason})


def test_staff_signup_is_pending_and_chief_is_told(pending_grant, organisation, chief):
    assert pending_grant.status == RoleGrant.Status.PENDING
    assert pending_grant.organisation == organisation and pending_grant.role == Role.COORDINATOR
    assert not pending_grant.user.has_role(Role.COORDINATOR)
    assert Outbox.objects.filter(template="staff_pending", to=[chief.email]).exists()


def test_chief_of_that_organisation_approves(client, login, pending_grant, chief):
    login(chief)
    page = client.get(reverse("accounts:approvals")).content.decode()
    assert "相談員次郎" in page
    response = decide(client, pending_grant)
    assert response.status_code == 302
    pending_grant.refresh_from_db()
    assert pending_grant.status == RoleGrant.Status.APPROVED and pending_grant.decided_by == chief
    user = User.objects.get(email=SIGNUP["email"])
    assert user.has_role(Role.COORDINATOR) and user.requires_2fa()
    assert Outbox.objects.filter(template="role_decided", to=[SIGNUP["email"]]).exists()
    assert AuditEvent.objects.filter(action="role.decided", actor=chief).exists()


def test_chief_of_another_organisation_gets_404(client, login, pending_grant):
    other_chief = factories.grant(factories.UserFactory(), Role.CHIEF, organisation=factories.OrganisationFactory())
    login(other_chief)
    assert "相談員次郎" not in client.get(reverse("accounts:approvals")).content.decode()
    assert decide(client, pending_grant).status_code == 404
    pending_grant.refresh_from_db()
    assert pending_grant.status == RoleGrant.Status.PENDING


def test_admin_can_approve(client, login, pending_grant, admin_user):
    login(admin_user)
    assert decide(client, pending_grant).status_code == 302
    pending_grant.refresh_from_db()
    assert pending_grant.status == RoleGrant.Status.APPROVED and pending_grant.decided_by == admin_user


def test_rejection_needs_a_reason(client, login, pending_grant, chief):
    login(chief)
    response = decide(client, pending_grant, "reject", "")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("理由を入力してください" in m for m in messages)
    pending_grant.refresh_from_db()
    assert pending_grant.status == RoleGrant.Status.PENDING
    decide(client, pending_grant, "reject", "当拠点の職員ではありません")
    pending_grant.refresh_from_db()
    assert pending_grant.status == RoleGrant.Status.REJECTED
    assert pending_grant.reason == "当拠点の職員ではありません"


def test_decided_grant_cannot_be_decided_again(client, login, pending_grant, chief, admin_user):
    login(chief)
    decide(client, pending_grant, "reject", "不明")
    client.logout()
    login(admin_user)
    assert decide(client, pending_grant).status_code == 404
    pending_grant.refresh_from_db()
    assert pending_grant.status == RoleGrant.Status.REJECTED


def test_coordinator_cannot_approve_colleagues(client, login, pending_grant, organisation):
    colleague = factories.grant(factories.UserFactory(), Role.COORDINATOR, organisation=organisation)
    login(colleague)
    assert client.get(reverse("accounts:approvals")).status_code == 404
    assert decide(client, pending_grant).status_code == 404


def test_chief_cannot_approve_own_second_role(client, login, organisation, chief):
    own = RoleGrant.objects.create(user=chief, role=Role.COORDINATOR, organisation=organisation)
    login(chief)
    assert decide(client, own).status_code == 404


def test_first_chief_of_a_new_organisation_notifies_admins(client, admin_user):
    org = factories.OrganisationFactory()
    client.post(reverse("accounts:signup_kind", args=["staff"]), {**SIGNUP, "role": "chief", "organisation": org.pk})
    assert Outbox.objects.filter(template="staff_pending", to=[admin_user.email]).exists()


def test_decide_by_get_is_not_allowed(client, login, pending_grant, chief):
    login(chief)
    assert client.get(reverse("accounts:decide_grant", args=[pending_grant.pk])).status_code == 405


def test_staff_signup_without_organisation_is_refused(client):
    response = client.post(reverse("accounts:signup_kind", args=["staff"]), SIGNUP)
    assert response.status_code == 200
    assert "必須" in " ".join(response.context["form"].errors["organisation"])
    assert not User.objects.exists()


def test_second_decision_on_the_same_grant_leaves_the_first_standing(pending_grant, chief, admin_user):
    from accounts.actions import decide_role

    decide_role(chief, pending_grant.pk, approve=True)
    decide_role(admin_user, pending_grant.pk, approve=False, reason="遅れて却下")
    pending_grant.refresh_from_db()
    assert pending_grant.status == RoleGrant.Status.APPROVED and pending_grant.decided_by == chief
    assert AuditEvent.objects.filter(action="role.decided").count() == 1
