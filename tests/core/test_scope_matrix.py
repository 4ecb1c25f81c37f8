"""Who may open what: one table for every role, outside the scope is a 404."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from accounts.models import RoleGrant
from accounts.roles import Role
from directory.models import ExpertProfile
from reference.models import Bureau, Prefecture
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = ["company_detail", "company_edit", "review_detail", "expert_photo", "approvals_decide", "audit"]

# persona:            company_detail, company_edit, review_detail, expert_photo, approvals_decide, audit
MATRIX = {
    "anonymous":      (302, 302, 302, 404, 302, 302),
    "sme_a":          (200, 200, 404, 404, 404, 404),
    "sme_b":          (404, 404, 404, 404, 404, 404),
    "pending_expert": (404, 404, 404, 200, 404, 404),
    "other_expert":   (404, 404, 404, 404, 404, 404),
    "coordinator_x":  (404, 404, 404, 404, 404, 404),
    "chief_x":        (404, 404, 404, 404, 302, 404),
    "chief_y":        (404, 404, 404, 404, 404, 404),
    "secretariat":    (200, 404, 200, 200, 404, 200),
    "bureau_kanto":   (404, 404, 404, 404, 404, 404),
    "bureau_kinki":   (200, 404, 404, 404, 404, 404),
    "hq":             (200, 404, 404, 200, 404, 404),
    "admin":          (200, 404, 200, 200, 302, 200),
}


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 90, 200)).save(out, "JPEG")
    return ContentFile(out.getvalue())


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    osaka = Prefecture.objects.get(code="27")
    org_x = factories.OrganisationFactory(name="大阪府よろず支援拠点", prefecture=osaka)
    org_y = factories.OrganisationFactory(name="東京都よろず支援拠点")
    company_a, sme_a = factories.company_with_member(prefecture=osaka, name="株式会社なにわ製作所")
    _, sme_b = factories.company_with_member(name="株式会社江戸商事")
    pending = factories.ExpertFactory(status=ExpertProfile.Status.PENDING)
    pending.photo.save("p.jpg", jpeg(), save=True)
    applicant = factories.UserFactory(name="申請中の相談員")
    grant = RoleGrant.objects.create(user=applicant, role=Role.COORDINATOR, organisation=org_x)
    staff = factories.UserFactory
    people = {
        "anonymous": None,
        "sme_a": sme_a,
        "sme_b": sme_b,
        "pending_expert": pending.user,
        "other_expert": factories.ExpertFactory().user,
        "coordinator_x": factories.grant(staff(), Role.COORDINATOR, organisation=org_x),
        "chief_x": factories.grant(staff(), Role.CHIEF, organisation=org_x),
        "chief_y": factories.grant(staff(), Role.CHIEF, organisation=org_y),
        "secretariat": factories.grant(staff(), Role.SECRETARIAT),
        "bureau_kanto": factories.grant(staff(), Role.BUREAU, bureau=Bureau.objects.get(code="kanto")),
        "bureau_kinki": factories.grant(staff(), Role.BUREAU, bureau=Bureau.objects.get(code="kinki")),
        "hq": factories.grant(staff(), Role.HQ),
        "admin": factories.grant(staff(), Role.ADMIN),
    }
    requests = {
        "company_detail": ("get", reverse("companies:detail", args=[company_a.pk])),
        "company_edit": ("get", reverse("companies:edit", args=[company_a.pk])),
        "review_detail": ("get", reverse("directory:review_detail", args=[pending.pk])),
        "expert_photo": ("get", reverse("directory:expert_photo", args=[pending.pk])),
        "approvals_decide": ("post", reverse("accounts:decide_grant", args=[grant.pk])),
        "audit": ("get", reverse("core:audit_log")),
    }
    return {"people": people, "requests": requests, "grant": grant, "company": company_a}


@pytest.mark.parametrize("persona", MATRIX)
def test_scope_matrix(client, login, world, persona):
    # given
    user = world["people"][persona]
    if user is not None:
        login(user)
    # when every page is requested (the state-changing POST last)
    got = {}
    for page in PAGES:
        method, url = world["requests"][page]
        response = client.post(url, {"decision": "approve"}) if method == "post" else client.get(url)
        got[page] = response.status_code
        if response.status_code == 404:
            assert world["company"].name not in response.content.decode(errors="ignore")
        if persona == "anonymous" and response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login"))
    # then each answer is the one in the table
    assert got == dict(zip(PAGES, MATRIX[persona]))
    world["grant"].refresh_from_db()
    approved = world["grant"].status == RoleGrant.Status.APPROVED
    assert approved is (MATRIX[persona][PAGES.index("approvals_decide")] == 302 and persona != "anonymous")


def test_every_role_is_in_the_matrix():
    covered = {"sme", "expert", "coordinator", "chief", "secretariat", "bureau", "hq", "admin"}
    assert covered == {r.value for r in Role} - {Role.DESK.value}
