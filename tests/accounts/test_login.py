"""Log in, log out, failed-login throttling (django-axes), password reset by mail."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


@pytest.fixture
def member(db):
    return factories.UserFactory(email="taro@example.jp")


def log_in(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_member_logs_in_with_email_in_any_case_and_out(client, member):
    response = log_in(client, "Taro@Example.JP", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert client.get(reverse("accounts:home")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 302


def test_logout_by_get_is_not_allowed(client, login, member):
    login(member)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("accounts:home")).status_code == 200


def test_wrong_password_gets_japanese_message(client, member):
    response = log_in(client, "taro@example.jp", "wrong-password-1")
    assert response.status_code == 200
    assert "メールアドレスまたはパスワードが正しくありません" in response.content.decode()


def test_five_wrong_passwords_lock_the_login_even_with_the_right_password(client, member):
    for _ in range(5):
        log_in(client, "taro@example.jp", "wrong-password-1")
    response = log_in(client, "taro@example.jp", PASSWORD)
    assert response.status_code == 429
    assert "ログインを一時停止しました" in response.content.decode()
    assert client.get(reverse("accounts:home")).status_code == 302  # not logged in


def test_four_wrong_passwords_still_allow_the_right_one(client, member):
    for _ in range(4):
        log_in(client, "taro@example.jp", "wrong-password-1")
    assert log_in(client, "taro@example.jp", PASSWORD).status_code == 302


def test_lock_of_one_user_does_not_block_another(client, member):
    other = factories.UserFactory(email="hanako@example.jp")
    for _ in range(5):
        log_in(client, "taro@example.jp", "wrong-password-1")
    assert log_in(client, other.email, PASSWORD).status_code == 302


def test_password_reset_by_mail_through_smtp(client, member, smtp_server, deliver_mail):
    response = client.post(reverse("accounts:password_reset"), {"email": "taro@example.jp"})
    assert response.status_code == 302
    deliver_mail()
    [received] = smtp_server.messages
    assert received["to"] == ["taro@example.jp"]
    body = received["message"].get_body(("plain",)).get_content()
    path = re.search(r"http://[^/]+(/accounts/password/reset/\S+/)", body).group(1)
    # the link leads to the form for a new password
    response = client.get(path, follow=True)
    assert response.status_code == 200
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": "new-secret-2026-abc", "new_password2": "new-secret-2026-abc"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert log_in(client, "taro@example.jp", "new-secret-2026-abc").status_code == 302
    # the link cannot be used twice
    client.post(reverse("accounts:logout"))
    response = client.get(path, follow=True)
    assert "new_password1" not in response.content.decode()


def test_password_reset_for_unknown_address_sends_nothing(client, smtp_server, deliver_mail):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.jp"})
    assert response.status_code == 302  # same answer: addresses are not revealed
    deliver_mail()
    assert smtp_server.messages == []


def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_inactive_user_cannot_log_in(client, member):
    User.objects.filter(pk=member.pk).update(is_active=False)
    response = log_in(client, "taro@example.jp", PASSWORD)
    assert response.status_code == 200
    assert client.get(reverse("accounts:home")).status_code == 302


def test_login_does_not_redirect_to_another_site(client, member):
    response = client.post(
        f"{LOGIN}?next=https://evil.example.com/", {"username": "taro@example.jp", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]


def test_login_follows_a_local_next(client, member):
    response = client.post(f"{LOGIN}?next=/companies/", {"username": "taro@example.jp", "password": PASSWORD})
    assert response["Location"] == "/companies/"
