"""Personal API tokens: made on /api/tokens/, stored as a hash, shown once, revocable, expiring."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from api.models import ApiToken
from core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

TOKENS = "/api/tokens/"


def test_anonymous_is_sent_to_login_from_the_tokens_page(client):
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_staff_without_second_factor_cannot_reach_the_tokens_page(login, chief):
    client = login(chief, otp=False)
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert reverse("accounts:otp_setup") in response["Location"]


def test_user_creates_a_token_and_sees_it_once(login, sme):
    client = login(sme)
    response = client.post(TOKENS, {"name": "会計ソフト連携", "expiry_days": "90"})
    raw = response.context["created"]["raw"]
    assert raw.startswith("yrz_") and raw in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    page = client.get(TOKENS).content.decode()
    assert "会計ソフト連携" in page and raw not in page


def test_only_the_hash_of_a_token_is_stored(login, sme):
    raw = login(sme).post(TOKENS, {"name": "連携", "expiry_days": ""}).context["created"]["raw"]
    token = ApiToken.objects.get(user=sme)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.name, token.prefix, token.token_hash}
    assert token.expires_at is None


def test_token_creation_is_audited_without_the_token(login, sme):
    raw = login(sme).post(TOKENS, {"name": "連携", "expiry_days": "30"}).context["created"]["raw"]
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == sme and raw not in str(event.changes)


def test_a_token_needs_a_name(login, sme):
    response = login(sme).post(TOKENS, {"name": "", "expiry_days": "30"})
    assert "トークンの名前（用途）を入力してください。" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_authenticates_its_user(api_get, token_for, sme):
    response = api_get("/api/me/", token_for(sme))
    assert response.status_code == 200
    assert response.json()["email"] == sme.email and response.json()["roles"] == [Role.SME]


def test_using_a_token_records_when_it_was_last_used(api_get, token_for, sme):
    raw = token_for(sme)
    api_get("/api/me/", raw)
    assert ApiToken.objects.get(user=sme).last_used_at is not None


def test_a_revoked_token_is_refused(login, api_get, token_for, sme):
    raw = token_for(sme)
    token = ApiToken.objects.get(user=sme)
    response = login(sme).post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    refused = api_get("/api/me/", raw)
    assert refused.status_code == 401
    assert "APIトークン" in refused.json()["detail"]
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=sme).exists()


def test_an_expired_token_is_refused(api_get, token_for, sme):
    raw = token_for(sme, expires_at=timezone.now() + datetime.timedelta(days=1))
    ApiToken.objects.filter(user=sme).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api_get("/api/me/", raw).status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(api_get, token_for, sme):
    raw = token_for(sme)
    sme.is_active = False
    sme.save(update_fields=["is_active"])
    assert api_get("/api/me/", raw).status_code == 401


@pytest.mark.parametrize("header", ["Bearer yrz_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "yrz_x"])
def test_a_wrong_authorization_header_is_refused_with_a_json_message(client, header):
    response = client.get("/api/me/", headers={"Authorization": header})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "認証が必要です" in response.json()["detail"]


def test_a_user_cannot_revoke_someone_elses_token(login, token_for, sme):
    token_for(factories.UserFactory())
    other = ApiToken.objects.get()
    response = login(sme).post(f"/api/tokens/{other.pk}/revoke/")
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_revoking_needs_a_post(login, token_for, sme):
    token_for(sme)
    token = ApiToken.objects.get()
    assert login(sme).get(f"/api/tokens/{token.pk}/revoke/").status_code == 405


def test_revoking_twice_says_the_token_is_already_revoked(login, token_for, sme):
    token_for(sme)
    token = ApiToken.objects.get()
    client = login(sme)
    client.post(f"/api/tokens/{token.pk}/revoke/")
    response = client.post(f"/api/tokens/{token.pk}/revoke/", follow=True)
    assert "このトークンはすでに無効です。" in response.content.decode()


def test_a_session_login_does_not_open_the_private_api(login, sme):
    # Only tokens authenticate the API: a browser session (and so a cross-site request) does not.
    assert login(sme).get("/api/me/").status_code == 401


def test_a_token_of_a_staff_member_works_without_a_session(api_get, token_for, chief):
    assert api_get("/api/me/", token_for(chief)).status_code == 200
