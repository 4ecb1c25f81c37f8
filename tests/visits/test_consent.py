import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from tests import factories
from tests.visits.builders import pdf_bytes, pdf_upload, scheduled_now
from visits import actions
from visits.models import PhotoConsent

pytestmark = pytest.mark.django_db


def test_the_sme_uploads_this_years_consent_from_the_case_page(login, world):
    case = scheduled_now(world, started_minutes_ago=60)

    login(world.sme).post(reverse("visits:consent_add", args=[case.pk]), {"document": pdf_upload()})

    status = actions.consent_status(world.company.pk, case.fiscal_year)
    assert status.received and status.consent.source == "upload"
    with status.consent.document.open("rb") as f:
        assert f.read().startswith(b"%PDF-")


def test_the_organisation_uploads_the_consent_for_the_sme(world):
    case = scheduled_now(world, started_minutes_ago=60)

    consent = actions.attach_consent(world.company.pk, case.fiscal_year, pdf_upload(), source="upload", actor=world.staff)

    assert consent.submitted_by == world.staff


def test_an_unrelated_organisation_cannot_upload_the_consent(world):
    other = factories.OrganisationFactory()
    from tests.consultations.builders import coordinator

    with pytest.raises(actions.PermissionDenied):
        actions.attach_consent(world.company.pk, 2026, pdf_upload(), source="upload", actor=coordinator(other))


def test_a_non_pdf_is_refused_and_nothing_saved(world):
    fake = SimpleUploadedFile("consent.pdf", b"<html>not a pdf</html>", content_type="application/pdf")

    with pytest.raises(actions.Refused) as refused:
        actions.attach_consent(world.company.pk, 2026, fake, source="mail")

    assert "PDFファイルとして読み込めませんでした" in refused.value.reasons[0]
    assert not PhotoConsent.objects.exists()


def test_a_truncated_pdf_is_refused(world):
    truncated = pdf_bytes()[:200]

    with pytest.raises(actions.Refused):
        actions.attach_consent(world.company.pk, 2026, truncated, source="mail")


def test_a_pdf_over_the_size_limit_is_refused(world, settings):
    settings.MAX_DOCUMENT_UPLOAD_BYTES = 1024

    with pytest.raises(actions.Refused) as refused:
        actions.attach_consent(world.company.pk, 2026, pdf_bytes("x" * 10) + b" " * 2048, source="mail")

    assert "上限" in refused.value.reasons[0]


def test_a_second_consent_in_the_same_year_is_refused_but_next_year_is_new(world):
    actions.attach_consent(world.company.pk, 2026, pdf_upload(), source="mail")

    with pytest.raises(actions.Refused) as refused:
        actions.attach_consent(world.company.pk, 2026, pdf_upload(), source="upload", actor=world.sme)

    assert "年度に1回" in refused.value.reasons[0]
    assert actions.attach_consent(world.company.pk, 2027, pdf_upload(), source="upload", actor=world.sme)
    assert PhotoConsent.objects.count() == 2


def test_the_secretariat_marks_the_paper_original_received_by_post(world):
    consent = actions.mark_consent_received_by_post(world.secretariat, world.company.pk, 2026)

    assert consent.source == "post" and consent.original_received_at
    assert actions.consent_status(world.company.pk, 2026).received


def test_the_original_arriving_after_the_pdf_is_noted_on_the_same_consent(world):
    pdf = actions.attach_consent(world.company.pk, 2026, pdf_upload(), source="mail")

    consent = actions.mark_consent_received_by_post(world.secretariat, world.company.pk, 2026)

    assert consent.pk == pdf.pk and consent.original_received_by == world.secretariat
    with pytest.raises(actions.Refused):
        actions.mark_consent_received_by_post(world.secretariat, world.company.pk, 2026)


def test_only_the_secretariat_marks_the_original_received(login, world):
    case = scheduled_now(world, started_minutes_ago=60)

    response = login(world.staff).post(reverse("visits:consent_post", args=[case.pk]))

    assert response.status_code == 404
    assert not PhotoConsent.objects.exists()


def test_a_rejected_consent_no_longer_counts_and_a_new_one_can_be_sent(world):
    consent = actions.attach_consent(world.company.pk, 2026, pdf_upload(), source="mail")

    actions.reject_consent(world.secretariat, consent.pk, "署名がありません")

    assert not actions.consent_status(world.company.pk, 2026).received
    assert actions.attach_consent(world.company.pk, 2026, pdf_upload(), source="upload", actor=world.sme)


def test_the_wallet_shows_whether_this_years_consent_is_in(login, world):
    from core.dates import fiscal_year

    client = login(world.sme)
    assert "同意書：未提出" in client.get(reverse("dispatch:wallet")).content.decode()

    actions.attach_consent(world.company.pk, fiscal_year(), pdf_upload(), source="upload", actor=world.sme)

    assert "同意書：受領済み" in client.get(reverse("dispatch:wallet")).content.decode()


def test_the_case_page_shows_the_consent_status(login, world):
    case = scheduled_now(world, started_minutes_ago=60)
    actions.attach_consent(world.company.pk, case.fiscal_year, pdf_upload(), source="upload", actor=world.sme)

    page = login(world.expert.user).get(reverse("dispatch:detail", args=[case.pk])).content.decode()

    assert "受領済み" in page


def test_the_consent_pdf_is_served_to_the_sme_and_audited_but_not_to_outsiders(login, world):
    consent = actions.attach_consent(world.company.pk, 2026, pdf_upload(), source="mail")
    _, stranger = factories.company_with_member()

    response = login(world.sme).get(reverse("visits:consent", args=[consent.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="visits.consent_viewed").count() == 1
    assert login(stranger).get(reverse("visits:consent", args=[consent.pk])).status_code == 404
