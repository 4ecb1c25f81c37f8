import io

import pytest
from django.urls import reverse
from PIL import Image

from accounts.roles import Role
from companies.access import companies_for
from consultations.models import Consultation, Referral
from core.models import AuditEvent
from reference.models import Bureau, Specialty
from tests import factories
from tests.consultations.builders import consult, coordinator, jpeg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    organisation = factories.OrganisationFactory()
    staff = coordinator(organisation)
    company, member = factories.company_with_member()
    return organisation, staff, company, member


def form_data(company, **extra):
    return {
        "organisation": "", "held_on": "2026-11-20", "channel": "in_person",
        "sme_members": [m.user_id for m in company.memberships.all()], "attendees_note": "代表取締役 山田太郎",
        "topics": [Specialty.objects.get(name="IT・Web活用").pk], "problem": "HPからの問い合わせが少ない",
        "outcome": "dispatch", "next_steps": "専門家派遣を申請する", **extra,
    }


def test_coordinator_records_a_consultation_with_a_photo_stripped_of_gps(login, setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organisation, staff, company, member = setup
    client = login(staff)
    # a photo carrying EXIF metadata
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    raw = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 200, 30)).save(raw, "JPEG", exif=exif)
    photo = jpeg_upload()
    photo.file = io.BytesIO(raw.getvalue())
    photo.size = len(raw.getvalue())
    url = reverse("consultations:new") + f"?company_ref={company.pk}"
    response = client.post(url, {**form_data(company, organisation=organisation.pk), "photo": photo})
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert (consultation.company, consultation.organisation, consultation.staff) == (company, organisation, staff)
    assert list(consultation.sme_members.all()) == [member]
    with Image.open(consultation.photo.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
    assert AuditEvent.objects.filter(action="consultation.recorded", object_id=str(consultation.pk)).exists()


def test_a_future_date_and_a_referral_without_target_are_refused_in_japanese(login, setup):
    organisation, staff, company, _ = setup
    url = reverse("consultations:new") + f"?company_ref={company.pk}"
    response = login(staff).post(url, form_data(company, organisation=organisation.pk, held_on="2099-01-01", outcome="referred"))
    page = response.content.decode()
    assert "未来の日付は入力できません" in page and "紹介先の支援機関を選んでください" in page
    assert not Consultation.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(login, setup):
    organisation, staff, company, _ = setup
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    url = reverse("consultations:new") + f"?company_ref={company.pk}"
    response = login(staff).post(url, {**form_data(company, organisation=organisation.pk), "photo": bad})
    assert response.status_code == 200 and not Consultation.objects.exists()
    assert "画像" in response.content.decode()


def test_unknown_company_number_is_explained(login, setup):
    _, staff, _, _ = setup
    page = login(staff).get(reverse("consultations:new"), {"company_ref": "999999"}).content.decode()
    assert "該当する事業者が見つかりません" in page


def test_only_organisation_staff_may_record(login, sme):
    assert login(sme).get(reverse("consultations:new")).status_code == 404


def test_who_sees_a_consultation(login, setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organisation, staff, company, member = setup
    consultation = consult(staff, organisation, company)
    url = reverse("consultations:detail", args=[consultation.pk])
    outsider_staff = coordinator(factories.OrganisationFactory(), "他機関職員")
    bureau_kanto = factories.grant(factories.UserFactory(), Role.BUREAU, bureau=Bureau.objects.get(code="kanto"))
    bureau_kinki = factories.grant(factories.UserFactory(), Role.BUREAU, bureau=Bureau.objects.get(code="kinki"))
    hq = factories.grant(factories.UserFactory(), Role.HQ)
    other_sme = factories.company_with_member()[1]
    expected = {staff: 200, member: 200, bureau_kanto: 200, hq: 200, outsider_staff: 404, bureau_kinki: 404, other_sme: 404}
    for user, status in expected.items():
        assert login(user).get(url).status_code == status, user
    assert login(staff).get(reverse("consultations:detail", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, setup):
    organisation, staff, company, _ = setup
    consultation = consult(staff, organisation, company, photo=False)
    for url in [reverse("consultations:list"), reverse("consultations:detail", args=[consultation.pk]),
                reverse("consultations:photo", args=[consultation.pk])]:
        assert "/accounts/login/" in client.get(url)["Location"]


def test_photo_is_served_only_to_those_involved_and_each_view_is_audited(login, setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organisation, staff, company, member = setup
    consultation = consult(staff, organisation, company)
    url = reverse("consultations:photo", args=[consultation.pk])
    response = login(member).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert AuditEvent.objects.filter(action="consultation.photo_viewed", actor=member).count() == 1
    other_sme = factories.company_with_member()[1]
    assert login(other_sme).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="consultation.photo_viewed").count() == 1


def test_photo_upload_is_post_only_and_for_the_organisation(login, setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organisation, staff, company, member = setup
    consultation = consult(staff, organisation, company, photo=False)
    url = reverse("consultations:photo_upload", args=[consultation.pk])
    assert login(staff).get(url).status_code == 405
    assert login(member).post(url, {"photo": jpeg_upload()}).status_code == 404
    login(staff).post(url, {"photo": jpeg_upload()})
    consultation.refresh_from_db()
    assert consultation.photo


def test_coordinators_see_companies_their_organisation_consulted(setup):
    organisation, staff, company, _ = setup
    stranger_company, _ = factories.company_with_member()
    assert company not in companies_for(staff)
    consult(staff, organisation, company, photo=False)
    visible = list(companies_for(staff))
    assert company in visible and stranger_company not in visible


def test_referral_closes_the_loop_between_two_organisations(login, setup, smtp_server, deliver_mail):
    organisation, staff, company, member = setup
    bank = factories.OrganisationFactory(name="城南信用金庫", kind="financial")
    bank_staff = coordinator(bank, "融資担当")
    # the first organisation refers the SME to a bank
    consultation = consult(staff, organisation, company, photo=False, outcome=Consultation.Outcome.REFERRED,
                           refer_to=bank, referral_note="運転資金の融資相談")
    referral = Referral.objects.get()
    deliver_mail()
    assert [m["to"] for m in smtp_server.messages] == [[bank_staff.email]]
    # both sides see the referral and the consultation; the bank now sees the company
    url = reverse("consultations:detail", args=[consultation.pk])
    assert "運転資金の融資相談" in login(bank_staff).get(url).content.decode()
    assert company in companies_for(bank_staff)
    assert "紹介先の対応待ち" in login(staff).get(reverse("consultations:list")).content.decode()
    # only the receiving side answers
    assert login(staff).post(reverse("consultations:referral_close", args=[referral.pk]), {"result": "x"}).status_code == 404
    assert login(bank_staff).get(reverse("consultations:referral_accept", args=[referral.pk])).status_code == 405
    login(bank_staff).post(reverse("consultations:referral_accept", args=[referral.pk]))
    login(bank_staff).post(reverse("consultations:referral_close", args=[referral.pk]), {"result": "融資を実行した"})
    referral.refresh_from_db()
    assert (referral.status, referral.result, referral.answered_by) == (Referral.Status.CLOSED, "融資を実行した", bank_staff)
    deliver_mail()
    closed_mail = smtp_server.messages[-1]
    assert closed_mail["to"] == [staff.email] and "完了しました" in closed_mail["message"]["Subject"]
    page = login(staff).get(url).content.decode()
    assert "融資を実行した" in page and "完了" in page


def test_closing_a_referral_needs_a_result(login, setup):
    organisation, staff, company, _ = setup
    bank = factories.OrganisationFactory(name="信用金庫")
    bank_staff = coordinator(bank, "融資担当")
    consult(staff, organisation, company, photo=False, refer_to=bank, referral_note="融資相談")
    referral = Referral.objects.get()
    response = login(bank_staff).post(reverse("consultations:referral_close", args=[referral.pk]), {"result": ""}, follow=True)
    assert "対応結果を入力してください" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.OPEN


def test_consultation_list_queries_do_not_grow(login, setup, django_assert_max_num_queries):
    organisation, staff, company, _ = setup
    client = login(staff)
    consult(staff, organisation, company, photo=False)
    client.get(reverse("consultations:list"))
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("consultations:list"))
    for _ in range(6):
        other, _m = factories.company_with_member()
        consult(staff, organisation, other, photo=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("consultations:list")).status_code == 200


def test_bureau_and_hq_read_the_record_but_not_the_face_photo(login, setup, settings, tmp_path):
    """Regional bureaus and HQ evaluate centres from the records; the face photo stays with those involved."""
    from accounts.models import RoleGrant

    settings.MEDIA_ROOT = tmp_path
    organisation, staff, company, member = setup
    consultation = consult(staff, organisation, company)
    bureau = factories.UserFactory()
    RoleGrant.objects.create(user=bureau, role=Role.BUREAU, bureau_id=organisation.prefecture.bureau_id,
                             status=RoleGrant.Status.APPROVED)
    hq = factories.grant(factories.UserFactory(), Role.HQ)
    for reader in [bureau, hq]:
        client = login(reader)
        page = client.get(reverse("consultations:detail", args=[consultation.pk]))
        assert page.status_code == 200 and "当事者と事務局だけが見られます" in page.content.decode()
        assert client.get(reverse("consultations:photo", args=[consultation.pk])).status_code == 404
    # the SME member and the organisation still see it
    for party in [member, staff]:
        assert login(party).get(reverse("consultations:photo", args=[consultation.pk])).status_code == 200
