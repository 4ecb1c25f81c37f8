"""An owner invites another person by e-mail; the invitee joins the company."""

import datetime
import re

import pytest
from django.urls import reverse

from companies.models import Invitation, Membership
from core.models import AuditEvent
from notifications.models import Outbox
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def company_and_owner(db):
    return factories.company_with_member()


def invite(client, company, email):
    return client.post(reverse("companies:invite", args=[company.pk]), {"email": email})


def test_owner_invites_by_mail_and_invitee_joins(client, login, company_and_owner, smtp_server, deliver_mail):
    company, owner = company_and_owner
    login(owner)
    # given the owner sends an invitation
    response = invite(client, company, "Hanako@Example.jp")
    assert response.status_code == 302
    deliver_mail()
    # then the invitee receives a link through SMTP
    [received] = smtp_server.messages
    assert received["to"] == ["hanako@example.jp"]
    body = received["message"].get_body(("plain",)).get_content()
    assert company.name in body and owner.name in body
    path = re.search(r"http://[^/]+(/companies/invitations/\S+/)", body).group(1)
    # when the invitee with that verified address opens it and accepts
    invitee = factories.UserFactory(email="hanako@example.jp")
    client.logout()
    login(invitee)
    assert client.get(path).status_code == 200
    response = client.post(path)
    # then they are a member and can see the company
    assert response.status_code == 302
    membership = Membership.objects.get(company=company, user=invitee)
    assert membership.role == Membership.Role.MEMBER
    assert client.get(reverse("companies:detail", args=[company.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="company.member_joined", object_id=str(company.pk)).exists()


def accept(client, invitation):
    return client.post(reverse("companies:invitation_accept", args=[invitation.token]))


def test_invitation_cannot_be_used_twice(client, login, company_and_owner):
    company, owner = company_and_owner
    invitation = Invitation.objects.create(company=company, email="a@example.jp", invited_by=owner)
    first = factories.UserFactory(email="a@example.jp")
    login(first)
    assert accept(client, invitation).status_code == 302
    Membership.objects.filter(user=first).delete()
    response = accept(client, invitation)
    assert response.status_code == 400
    assert "使用済み" in response.content.decode()
    assert not Membership.objects.filter(user=first).exists()


def test_expired_invitation_is_refused(client, login, company_and_owner):
    company, owner = company_and_owner
    invitation = Invitation.objects.create(company=company, email="a@example.jp", invited_by=owner)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=invitation.created_at - datetime.timedelta(days=15)
    )
    login(factories.UserFactory(email="a@example.jp"))
    assert accept(client, invitation).status_code == 400
    assert Membership.objects.filter(company=company).count() == 1


def test_invitation_for_another_address_is_refused(client, login, company_and_owner):
    company, owner = company_and_owner
    invitation = Invitation.objects.create(company=company, email="a@example.jp", invited_by=owner)
    intruder = factories.UserFactory(email="b@example.jp")
    login(intruder)
    assert accept(client, invitation).status_code == 400
    assert not Membership.objects.filter(user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitee_must_have_verified_the_address(client, login, company_and_owner):
    company, owner = company_and_owner
    invitation = Invitation.objects.create(company=company, email="a@example.jp", invited_by=owner)
    login(factories.UserFactory(email="a@example.jp", email_verified_at=None))
    assert accept(client, invitation).status_code == 400


def test_unknown_token_is_refused(client, login):
    login(factories.UserFactory())
    response = client.post(reverse("companies:invitation_accept", args=["no-such-token"]))
    assert response.status_code == 400


def test_member_who_is_not_owner_cannot_invite(client, login, company_and_owner):
    company, owner = company_and_owner
    member = factories.UserFactory()
    Membership.objects.create(company=company, user=member, role=Membership.Role.MEMBER)
    login(member)
    response = invite(client, company, "x@example.jp")
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert not Outbox.objects.filter(template="company_invitation").exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("管理者だけ" in m for m in messages)


def test_outsider_gets_404_when_inviting(client, login, company_and_owner):
    company, _ = company_and_owner
    _, other_owner = factories.company_with_member()
    login(other_owner)
    assert invite(client, company, "x@example.jp").status_code == 404
    assert not Invitation.objects.exists()


def test_invalid_invitation_address_gets_japanese_message(client, login, company_and_owner):
    company, owner = company_and_owner
    login(owner)
    response = invite(client, company, "not-an-address")
    assert not Invitation.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("メールアドレス" in m for m in messages)


def test_anonymous_is_sent_to_login_for_invitation(client, company_and_owner):
    company, owner = company_and_owner
    invitation = Invitation.objects.create(company=company, email="a@example.jp", invited_by=owner)
    response = client.get(reverse("companies:invitation_accept", args=[invitation.token]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_get_on_invite_is_not_allowed(client, login, company_and_owner):
    company, owner = company_and_owner
    login(owner)
    assert client.get(reverse("companies:invite", args=[company.pk])).status_code == 405
