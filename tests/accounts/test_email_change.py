"""Changing the e-mail address: pending until the new address is confirmed."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return factories.UserFactory(email="old@example.jp")


def test_email_change_waits_for_the_link_from_the_new_address(client, login, member, smtp_server, deliver_mail):
    login(member)
    response = client.post(reverse("accounts:change_email"), {"email": "New@Example.jp"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "old@example.jp" and member.pending_email == "new@example.jp"
    deliver_mail()
    by_recipient = {m["to"][0]: m["message"] for m in smtp_server.messages}
    assert set(by_recipient) == {"old@example.jp", "new@example.jp"}
    assert "new@example.jp" in by_recipient["old@example.jp"].get_body(("plain",)).get_content()
    body = by_recipient["new@example.jp"].get_body(("plain",)).get_content()
    path = re.search(r"http://[^/]+(/accounts/verify/\S+/)", body).group(1)
    # until then the old address is the login
    client.logout()
    assert client.post(reverse("accounts:login"), {"username": "new@example.jp", "password": PASSWORD}).status_code == 200
    # when the link is opened
    client.get(path)
    member.refresh_from_db()
    assert member.email == "new@example.jp" and member.pending_email == ""
    event = AuditEvent.objects.get(action="user.email_changed")
    assert event.changes == {"email": ["old@example.jp", "new@example.jp"]}
    assert client.post(reverse("accounts:login"), {"username": "new@example.jp", "password": PASSWORD}).status_code == 302


def test_email_change_to_a_taken_address_is_refused(client, login, member):
    factories.UserFactory(email="taken@example.jp")
    login(member)
    response = client.post(reverse("accounts:change_email"), {"email": "TAKEN@example.jp"})
    assert response.status_code == 400
    assert "既に登録されています" in response.content.decode()
    member.refresh_from_db()
    assert member.pending_email == ""


def test_email_change_link_is_refused_if_address_was_taken_meanwhile(client, login, member, outbox_sent, deliver_mail):
    login(member)
    client.post(reverse("accounts:change_email"), {"email": "new@example.jp"})
    deliver_mail()
    [verify] = [m for m in outbox_sent if m.to == ["new@example.jp"]]
    path = re.search(r"http://[^/]+(/accounts/verify/\S+/)", verify.body).group(1)
    factories.UserFactory(email="new@example.jp")
    assert client.get(path).status_code == 400
    member.refresh_from_db()
    assert member.email == "old@example.jp"


def test_old_link_for_a_replaced_pending_address_does_not_work(client, login, member, outbox_sent, deliver_mail):
    login(member)
    client.post(reverse("accounts:change_email"), {"email": "first@example.jp"})
    deliver_mail()
    [first] = [m for m in outbox_sent if m.to == ["first@example.jp"]]
    client.post(reverse("accounts:change_email"), {"email": "second@example.jp"})
    path = re.search(r"http://[^/]+(/accounts/verify/\S+/)", first.body).group(1)
    assert client.get(path).status_code == 400
    assert User.objects.get(pk=member.pk).email == "old@example.jp"


def test_email_change_by_get_is_not_allowed(client, login, member):
    login(member)
    assert client.get(reverse("accounts:change_email")).status_code == 405


def test_profile_update_is_audited(client, login, member):
    login(member)
    response = client.post(reverse("accounts:profile"), {"name": "新しい名前", "name_kana": "あたらしいなまえ", "phone": "03-1234-5678"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.profile_updated")
    assert event.changes["name"][1] == "新しい名前" and event.actor == member


def test_bad_phone_number_changes_nothing(client, login, member):
    login(member)
    response = client.post(reverse("accounts:profile"), {"name": "x", "name_kana": "えっくす", "phone": "phone"})
    assert "半角数字とハイフン" in response.content.decode()
    member.refresh_from_db()
    assert member.name != "x"
    assert not AuditEvent.objects.filter(action="user.profile_updated").exists()
