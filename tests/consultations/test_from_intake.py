"""An accepted 「この専門家に相談したい」 request becomes a consultation, linked both ways."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation
from intake import actions as intake_actions
from intake.models import ExpertRequest
from reference.models import Specialty
from tests import factories
from tests.consultations.builders import coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(db):
    organisation = factories.OrganisationFactory()
    staff = coordinator(organisation)
    company, member = factories.company_with_member()
    expert = factories.ExpertFactory()
    req = intake_actions.submit_request(member, company, expert, organisation, "SNSで集客したい", "in_person")
    intake_actions.accept_request(staff, req.pk, timezone.now() + datetime.timedelta(days=2), "in_person", "相談室A")
    return ExpertRequest.objects.get(pk=req.pk), staff


def test_the_form_is_prefilled_from_the_request_and_recording_links_it(login, accepted):
    req, staff = accepted
    client = login(staff)
    url = reverse("consultations:new") + f"?request={req.pk}"
    page = client.get(url).content.decode()
    assert "SNSで集客したい" in page and "この専門家に相談したい" in page
    response = client.post(url, {
        "organisation": req.organisation_id, "held_on": timezone.localdate().isoformat(), "channel": "in_person",
        "topics": [Specialty.objects.get(name="IT・Web活用").pk], "problem": "SNSで集客したい", "outcome": "dispatch",
    })
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert (consultation.company, consultation.organisation) == (req.company, req.organisation)
    req.refresh_from_db()
    assert req.consultation_ref == consultation.pk


def test_another_organisation_cannot_record_from_the_request(login, accepted):
    req, _ = accepted
    stranger = coordinator(factories.OrganisationFactory(), "他機関")
    assert login(stranger).get(reverse("consultations:new") + f"?request={req.pk}").status_code == 404
    assert login(stranger).get(reverse("consultations:new") + "?request=abc").status_code == 404
