"""The secretariat reviews experts: approve, reject with a reason, verify qualifications."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import RoleGrant
from accounts.roles import Role
from core.models import AuditEvent
from directory.models import ExpertProfile, ExpertQualification
from notifications.models import Outbox
from reference.models import Qualification
from tests import factories

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_expert(db):
    expert = factories.ExpertFactory(status=ExpertProfile.Status.PENDING)
    expert.photo.save("face.jpg", ContentFile(jpeg_with_gps().read()), save=True)
    return expert


def review_url(expert):
    return reverse("directory:review_detail", args=[expert.pk])


def photo_url(expert):
    return reverse("directory:expert_photo", args=[expert.pk])


def test_secretariat_sees_pending_expert_in_list(client, login, secretariat, pending_expert):
    login(secretariat)
    page = client.get(reverse("directory:review_list")).content.decode()
    assert pending_expert.display_name in page


def test_secretariat_approves_and_expert_becomes_public(client, login, secretariat, pending_expert):
    # before approval the photo is not public
    assert client.get(photo_url(pending_expert)).status_code == 404
    login(secretariat)
    assert client.get(review_url(pending_expert)).status_code == 200
    response = client.post(review_url(pending_expert), {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    pending_expert.refresh_from_db()
    assert pending_expert.status == ExpertProfile.Status.APPROVED and pending_expert.approved_at
    grant = RoleGrant.objects.get(user=pending_expert.user, role=Role.EXPERT)
    assert grant.status == RoleGrant.Status.APPROVED and grant.decided_by == secretariat
    assert Outbox.objects.filter(template="expert_reviewed", to=[pending_expert.user.email]).exists()
    assert AuditEvent.objects.filter(action="expert.reviewed", actor=secretariat).exists()
    # after approval anyone may see the photo
    client.logout()
    assert client.get(photo_url(pending_expert)).status_code == 200


def test_rejection_requires_a_reason(client, login, secretariat, pending_expert):
    login(secretariat)
    response = client.post(review_url(pending_expert), {"decision": "reject", "reason": " "})
    assert response.status_code == 200
    assert "理由を入力してください" in " ".join(response.context["form"].errors["reason"])
    pending_expert.refresh_from_db()
    assert pending_expert.status == ExpertProfile.Status.PENDING
    assert not AuditEvent.objects.filter(action="expert.reviewed").exists()


def test_rejected_expert_sees_the_reason(client, login, secretariat, pending_expert):
    login(secretariat)
    client.post(review_url(pending_expert), {"decision": "reject", "reason": "資格の証明書を添付してください"})
    pending_expert.refresh_from_db()
    assert pending_expert.status == ExpertProfile.Status.REJECTED
    client.logout()
    login(pending_expert.user)
    page = client.get(reverse("accounts:home")).content.decode()
    assert "資格の証明書を添付してください" in page
    assert client.get(photo_url(pending_expert)).status_code == 200  # still their own photo


def test_secretariat_verifies_a_qualification(client, login, secretariat, pending_expert):
    item = ExpertQualification.objects.create(
        expert=pending_expert, qualification=Qualification.objects.get(name="税理士")
    )
    login(secretariat)
    url = reverse("directory:verify_qualification", args=[pending_expert.pk, item.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"verified": "1"})
    item.refresh_from_db()
    assert item.is_verified and item.verified_by == secretariat
    assert AuditEvent.objects.filter(action="expert.qualification_verified").exists()
    client.post(url, {"verified": "0"})
    item.refresh_from_db()
    assert not item.is_verified


def test_qualification_of_another_expert_is_404(client, login, secretariat, pending_expert):
    other = factories.ExpertFactory()
    item = ExpertQualification.objects.create(expert=other, qualification=Qualification.objects.get(name="税理士"))
    login(secretariat)
    url = reverse("directory:verify_qualification", args=[pending_expert.pk, item.pk])
    assert client.post(url, {"verified": "1"}).status_code == 404
    item.refresh_from_db()
    assert not item.is_verified


@pytest.mark.parametrize("role", [Role.SME, Role.EXPERT, Role.COORDINATOR, Role.CHIEF, Role.BUREAU, Role.HQ])
def test_non_secretariat_gets_404_on_review_pages(client, login, pending_expert, organisation, role):
    user = factories.grant(factories.UserFactory(), role, organisation=organisation if role in (Role.COORDINATOR, Role.CHIEF) else None)
    item = ExpertQualification.objects.create(
        expert=pending_expert, qualification=Qualification.objects.get(name="税理士")
    )
    login(user)
    assert client.get(reverse("directory:review_list")).status_code == 404
    assert client.get(review_url(pending_expert)).status_code == 404
    assert client.post(review_url(pending_expert), {"decision": "approve"}).status_code == 404
    verify = reverse("directory:verify_qualification", args=[pending_expert.pk, item.pk])
    assert client.post(verify, {"verified": "1"}).status_code == 404
    pending_expert.refresh_from_db()
    assert pending_expert.status == ExpertProfile.Status.PENDING


def test_anonymous_is_sent_to_login_for_review(client, pending_expert):
    response = client.get(review_url(pending_expert))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
