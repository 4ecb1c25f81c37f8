"""Staff roles must use TOTP; SMEs and experts may opt in."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from core.models import AuditEvent
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code_for(device):
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def log_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


@pytest.fixture
def coordinator(organisation):
    return factories.grant(factories.UserFactory(), Role.COORDINATOR, organisation=organisation)


def test_staff_without_device_is_sent_to_setup_from_every_page(client, coordinator):
    log_in(client, coordinator)
    for url in [reverse("accounts:home"), reverse("companies:list"), reverse("core:audit_log")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:otp_setup")


def test_staff_sets_up_totp_and_then_gets_access(client, coordinator):
    log_in(client, coordinator)
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # QR code
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    response = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("accounts:home")).status_code == 200
    assert AuditEvent.objects.filter(action="user.2fa_enrolled", object_id=str(coordinator.pk)).exists()


def test_wrong_setup_code_is_refused(client, coordinator):
    log_in(client, coordinator)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=coordinator)
    response = client.post(reverse("accounts:otp_setup"), {"token": wrong_code_for(device)})
    assert response.status_code == 200
    assert "確認コードが正しくありません" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("accounts:home")).status_code == 302


def test_non_numeric_code_gets_a_message(client, coordinator):
    log_in(client, coordinator)
    response = client.post(reverse("accounts:otp_setup"), {"token": "abcdef"})
    assert "半角数字6桁" in response.content.decode()


def test_enrolled_staff_must_enter_a_code_after_the_password(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    response = log_in(client, coordinator)
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get(reverse("accounts:home"))["Location"] == reverse("accounts:otp_verify")
    response = client.post(reverse("accounts:otp_verify"), {"token": wrong_code_for(device)})
    assert "確認コードが正しくありません" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code throttles the device for a second
    response = client.post(reverse("accounts:otp_verify"), {"token": code_for(device)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_sme_is_not_forced_to_use_2fa(client, sme):
    log_in(client, sme)
    assert client.get(reverse("accounts:home")).status_code == 200


def test_sme_who_opted_in_must_enter_the_code(client, sme):
    log_in(client, sme)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=sme)
    client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    client.post(reverse("accounts:logout"))
    response = log_in(client, sme)
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get(reverse("accounts:home")).status_code == 302


def test_pending_staff_is_not_yet_staff(client, organisation):
    pending = factories.grant(
        factories.UserFactory(), Role.COORDINATOR, organisation=organisation, status="pending"
    )
    log_in(client, pending)
    page = client.get(reverse("accounts:home"))
    assert page.status_code == 200
    assert "承認待ち" in page.content.decode()


def test_password_alone_cannot_enrol_a_second_device(client, coordinator):
    # given a staff member with a confirmed authenticator, and someone who knows only the password
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    log_in(client, coordinator)
    # when they try to enrol a new authenticator instead of entering the code
    response = client.get(reverse("accounts:otp_setup"))
    assert response["Location"] == reverse("accounts:otp_verify")
    response = client.post(reverse("accounts:otp_setup"), {"token": "123456"})
    # then they are sent back to the code page and no new device exists
    assert response["Location"] == reverse("accounts:otp_verify")
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1
    assert client.get(reverse("accounts:home")).status_code == 302


def test_verified_user_may_add_another_authenticator(client, login, coordinator):
    login(coordinator)  # passes the second factor
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
