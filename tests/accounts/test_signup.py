import re

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

FORM = {
    "name": "中小太郎",
    "name_kana": "ちゅうしょうたろう",
    "email": "taro@pasona-kensetsu.example.jp",
    "password1": "kensetsu-2026-secure",
    "password2": "kensetsu-2026-secure",
    "agree": "on",
}


def test_sme_registers_and_verifies_email_through_real_smtp(client, smtp_server, deliver_mail):
    # given an SMTP server that records mail
    # when a person registers
    response = client.post(reverse("accounts:signup"), FORM)
    assert response.status_code == 302
    deliver_mail()
    # then a verification mail arrives through SMTP
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received["to"] == ["taro@pasona-kensetsu.example.jp"]
    assert "メールアドレスの確認" in received["message"]["Subject"]
    body = received["message"].get_body(("plain",)).get_content()
    path = re.search(r"http://[^/]+(/accounts/verify/\S+/)", body).group(1)
    user = User.objects.get(email="taro@pasona-kensetsu.example.jp")
    assert not user.email_verified and user.has_role(Role.SME)
    # and opening the link verifies the address
    client.get(path)
    user.refresh_from_db()
    assert user.email_verified
    assert AuditEvent.objects.filter(action="user.email_verified", object_id=str(user.pk)).exists()


def test_duplicate_email_is_refused_with_a_japanese_message(client):
    client.post(reverse("accounts:signup"), FORM)
    client.logout()
    response = client.post(reverse("accounts:signup"), {**FORM, "email": "TARO@pasona-kensetsu.example.jp"})
    assert response.status_code == 200
    assert "既に登録されています" in response.content.decode()
    assert User.objects.count() == 1


def test_mismatched_passwords_save_nothing(client):
    response = client.post(reverse("accounts:signup"), {**FORM, "password2": "something-else-2026"})
    assert "一致しません" in response.content.decode()
    assert not User.objects.exists()


def test_forged_verification_link_is_refused(client):
    response = client.get(reverse("accounts:verify_email", args=["not-a-token"]))
    assert response.status_code == 400


def test_registration_is_audited_without_the_password(client):
    client.post(reverse("accounts:signup"), FORM)
    event = AuditEvent.objects.get(action="user.registered")
    assert event.changes["email"] == FORM["email"] and event.changes["role"] == Role.SME
    assert FORM["password1"] not in str(event.changes)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "数字"),
        ({"password1": "short", "password2": "short"}, "password1", "短すぎ"),
        ({"name_kana": "Taro"}, "name_kana", "ひらがなまたはカタカナ"),
        ({"email": "not-an-address"}, "email", "メールアドレス"),
        ({"agree": ""}, "agree", "必須"),
    ],
)
def test_bad_signup_input_is_explained_in_japanese_and_saves_nothing(client, overrides, field, message):
    response = client.post(reverse("accounts:signup"), {**FORM, **overrides})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.exists()


def test_verification_link_can_be_resent(client, outbox_sent, deliver_mail):
    client.post(reverse("accounts:signup"), FORM)
    assert client.get(reverse("accounts:resend_verification")).status_code == 405
    client.post(reverse("accounts:resend_verification"))
    deliver_mail()
    assert [m.to for m in outbox_sent] == [[FORM["email"]], [FORM["email"]]]


def test_unverified_member_sees_a_reminder_on_home(client):
    client.post(reverse("accounts:signup"), FORM)
    page = client.get(reverse("accounts:home")).content.decode()
    assert "確認メールを送りました" in page and "事業者情報を登録する" not in page


def test_verification_link_expires_after_three_days(client, monkeypatch):
    import time

    from accounts.tokens import VERIFY_MAX_AGE, make_verify_token

    client.post(reverse("accounts:signup"), FORM)
    user = User.objects.get()
    issued = time.time() - VERIFY_MAX_AGE - 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: issued)
    token = make_verify_token(user, user.email)
    monkeypatch.undo()
    assert client.get(reverse("accounts:verify_email", args=[token])).status_code == 400
    user.refresh_from_db()
    assert not user.email_verified
