import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dispatch.models import State
from notifications.models import Outbox
from tests.visits.builders import daytime_visit, jpeg_upload, pdf_upload, scheduled_now, set_state
from visits import actions
from visits.evidence import evidence_for
from visits.models import DeclarationScan

pytestmark = pytest.mark.django_db


def _visited(world, start=True, end=True, photo=True, consent=True, state=State.CERTIFIED):
    """A visit this morning (or yesterday's) with the chosen evidence, in `state`."""
    case = daytime_visit(world)
    if start:
        actions.record_time_report(case.pk, "start", case.starts_at, source="mail", received_at=case.starts_at)
    if end:
        actions.record_time_report(case.pk, "end", case.ends_at, source="mail", received_at=case.ends_at)
    if photo:
        actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)
    if consent:
        actions.attach_consent(world.company.pk, case.fiscal_year, pdf_upload(), source="upload", actor=world.sme)
    return set_state(case, state)


def _pdf_text(data, tmp_path):
    path = tmp_path / "declaration.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_complete_evidence_lets_the_secretariat_verify(login, world):
    case = _visited(world)

    login(world.secretariat).post(reverse("visits:verify", args=[case.pk]))

    case.refresh_from_db()
    assert case.state == State.VERIFIED
    assert world.expert.user.email in Outbox.objects.get(template="visits_verified").to


def test_verification_is_refused_without_the_consent(world):
    case = _visited(world, consent=False)

    with pytest.raises(actions.Refused) as refused:
        actions.verify_case(world.secretariat, case.pk)

    assert any("同意書" in r for r in refused.value.reasons)
    case.refresh_from_db()
    assert case.state == State.CERTIFIED


def test_a_missing_start_report_requires_the_declaration(world):
    case = _visited(world, start=False)
    ev = evidence_for(case)
    assert ev.declaration_required and not ev.complete

    with pytest.raises(actions.Refused) as refused:
        actions.verify_case(world.secretariat, case.pk)

    assert "開始時刻の証憑がないため" in refused.value.reasons[0]


def test_an_out_of_window_report_requires_the_declaration(world):
    case = scheduled_now(world, started_minutes_ago=180)
    actions.record_time_report(case.pk, "start", case.starts_at, source="mail", received_at=timezone.now())  # sent 3 h late
    assert evidence_for(case).declaration_required


def test_verification_is_refused_before_certification(world):
    case = _visited(world, state=State.REPORTED)

    with pytest.raises(actions.Refused) as refused:
        actions.verify_case(world.secretariat, case.pk)

    assert "従事証明済み" in refused.value.reasons[0]


def test_only_the_secretariat_verifies(login, world):
    case = _visited(world)
    assert login(world.staff).post(reverse("visits:verify", args=[case.pk])).status_code == 404
    case.refresh_from_db()
    assert case.state == State.CERTIFIED


def test_verify_refuses_get(login, world):
    case = _visited(world)
    assert login(world.secretariat).get(reverse("visits:verify", args=[case.pk])).status_code == 405


def test_the_declaration_pdf_has_the_case_facts_in_japanese(login, world, tmp_path):
    case = _visited(world, photo=False)

    response = login(world.sme).get(reverse("visits:declaration_pdf", args=[case.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    for expected in ("支援実施申告書兼再発防止誓約書", world.company.name, world.expert.display_name,
                     world.organisation.name, "東京都千代田区霞が関1-3-1", "記名", "印", "再発させないことを誓約します"):
        assert expected in text, expected
    assert f"{timezone.localtime(case.starts_at):%H:%M}" in text


def test_the_declaration_fits_one_page_even_with_long_or_markup_like_text(world):
    import io

    from pypdf import PdfReader

    from visits.declaration import build_declaration_pdf

    case = _visited(world, photo=False)
    case.request_text = "<b>売上</b> & 集客の改善。" * 80

    reader = PdfReader(io.BytesIO(build_declaration_pdf(case, evidence_for(case))))

    assert len(reader.pages) == 1
    assert "<b>売上</b> & 集客" in reader.pages[0].extract_text()


def test_the_declaration_pdf_embeds_its_japanese_fonts(login, world):
    case = _visited(world, photo=False)
    data = login(world.sme).get(reverse("visits:declaration_pdf", args=[case.pk])).content
    assert b"/FontFile2" in data  # TrueType font programs inside the file


def test_the_signed_declaration_is_uploaded_and_accepted_then_the_case_verifies(login, world):
    case = _visited(world, photo=False)
    scan = SimpleUploadedFile("scan.pdf", pdf_upload().read(), content_type="application/pdf")
    login(world.staff).post(reverse("visits:declaration_add", args=[case.pk]), {"document": scan})
    declaration = DeclarationScan.objects.get(case=case)
    assert declaration.status == "submitted"
    assert Outbox.objects.filter(template="visits_declaration_submitted").exists()

    login(world.secretariat).post(reverse("visits:declaration_review", args=[declaration.pk]), {"decision": "accept"})
    actions.verify_case(world.secretariat, case.pk)

    case.refresh_from_db()
    assert case.state == State.VERIFIED


def test_a_photographed_declaration_is_accepted_as_an_image(world):
    case = _visited(world, end=False)

    scan = actions.upload_declaration(world.sme, case.pk, jpeg_upload("declaration.jpg"))

    assert scan.content_type == "image/jpeg"


def test_a_declaration_that_is_neither_pdf_nor_image_is_refused(world):
    case = _visited(world, end=False)

    with pytest.raises(actions.Refused):
        actions.upload_declaration(world.sme, case.pk, SimpleUploadedFile("d.pdf", b"hello"))

    assert not DeclarationScan.objects.exists()


def test_no_declaration_is_taken_when_the_evidence_is_complete(world):
    case = _visited(world)

    with pytest.raises(actions.Refused) as refused:
        actions.upload_declaration(world.sme, case.pk, pdf_upload())

    assert "不要" in refused.value.reasons[0]


def test_a_rejected_declaration_tells_the_parties_and_can_be_sent_again(world):
    case = _visited(world, photo=False)
    scan = actions.upload_declaration(world.sme, case.pk, pdf_upload())

    actions.reject_declaration(world.secretariat, scan.pk, "支援機関の押印がありません")

    assert world.sme.email in Outbox.objects.get(template="visits_declaration_rejected").to
    assert actions.upload_declaration(world.sme, case.pk, pdf_upload()).status == "submitted"


def test_rejecting_a_declaration_needs_a_reason(world):
    case = _visited(world, photo=False)
    scan = actions.upload_declaration(world.sme, case.pk, pdf_upload())
    with pytest.raises(actions.Refused):
        actions.reject_declaration(world.secretariat, scan.pk, "")


def test_the_evidence_page_shows_reports_photo_consent_and_certification(login, world):
    case = _visited(world)

    page = login(world.secretariat).get(reverse("visits:evidence", args=[case.pk])).content.decode()

    assert "メール" in page and "±20分以内" in page
    assert reverse("visits:photo", args=[case.photos.get().pk]) in page
    assert "同意書" in page and "入力済み" in page


def test_the_evidence_page_is_for_the_secretariat_only(login, world):
    case = _visited(world)
    for user in (world.sme, world.staff, world.expert.user):
        assert login(user).get(reverse("visits:evidence", args=[case.pk])).status_code == 404


def test_a_flagged_report_is_reviewed_on_the_evidence_page(login, world):
    case = scheduled_now(world, started_minutes_ago=10)
    report = actions.record_time_report(case.pk, "start", case.starts_at, source="mail", received_at=case.starts_at,
                                        sender="09012345678@docomo.ne.jp", needs_review=True, review_reason="登録外のアドレス")

    login(world.secretariat).post(reverse("visits:report_review", args=[report.pk]), {"decision": "reject", "reason": "本人確認できず"})

    report.refresh_from_db()
    assert report.review == "rejected" and not report.counts


def test_the_list_shows_cases_awaiting_the_evidence_check(login, world):
    waiting = _visited(world)
    before = world.case_in(State.SCHEDULED, days=20)

    page = login(world.secretariat).get(reverse("visits:evidence_list")).content.decode()

    assert reverse("visits:evidence", args=[waiting.pk]) in page
    assert reverse("visits:evidence", args=[before.pk]) not in page


def test_the_list_is_for_the_secretariat_only(login, world):
    assert login(world.staff).get(reverse("visits:evidence_list")).status_code == 404


def test_the_list_queries_do_not_grow_with_cases(login, world, django_assert_max_num_queries):
    _visited(world)
    client = login(world.secretariat)
    client.get(reverse("visits:evidence_list"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("visits:evidence_list"))
    for minutes in (300, 420):
        case = scheduled_now(world, started_minutes_ago=minutes, hours=1)
        actions.record_time_report(case.pk, "start", case.starts_at, source="mail", received_at=case.starts_at)
        actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)
        set_state(case, State.CERTIFIED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("visits:evidence_list"))
    assert response.content.decode().count("/visits/case/") >= 3


def test_the_case_page_queries_do_not_grow_with_evidence(login, world, django_assert_max_num_queries):
    case = _visited(world, photo=False)
    client = login(world.sme)
    client.get(reverse("dispatch:detail", args=[case.pk]))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("dispatch:detail", args=[case.pk]))
    actions.upload_declaration(world.sme, case.pk, pdf_upload())
    for _ in range(3):
        actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("dispatch:detail", args=[case.pk]))


def test_the_menu_links_the_secretariat_to_the_evidence_list(login, world):
    page = login(world.secretariat).get(reverse("dispatch:list")).content.decode()
    assert reverse("visits:evidence_list") in page
    assert reverse("visits:evidence_list") not in login(world.sme).get(reverse("dispatch:list")).content.decode()


def test_the_evidence_page_shows_the_smes_certification(login, world):
    from reports.models import Certification

    case = _visited(world)
    local_start = timezone.localtime(case.starts_at)
    Certification.objects.create(
        case=case, support_date=local_start.date(), start_time=local_start.time(),
        end_time=timezone.localtime(case.ends_at).time(), content_confirmed=True, certified_by=world.sme,
        certified_at=timezone.now(), channel="link",
    )

    page = login(world.secretariat).get(reverse("visits:evidence", args=[case.pk])).content.decode()

    assert f"{local_start:%H:%M}〜" in page and world.sme.name in page
