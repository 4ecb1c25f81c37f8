import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.roles import Role
from core.models import AuditEvent
from notifications.models import Outbox
from tests import factories
from tests.visits.builders import jpeg_bytes, jpeg_upload, scheduled_now
from visits import actions
from visits.models import CasePhoto

pytestmark = pytest.mark.django_db


def _exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x8825] = {1: "N", 2: (35.0, 40.0, 0.0)}  # GPS
    return exif


def test_the_sme_uploads_a_photo_and_it_is_re_encoded_without_exif(login, world):
    case = scheduled_now(world, started_minutes_ago=60)
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_bytes(exif=_exif_with_gps()), content_type="image/jpeg")

    login(world.sme).post(reverse("visits:photo_add", args=[case.pk]), {"photo": upload})

    photo = CasePhoto.objects.get(case=case)
    with photo.image.open("rb") as f, Image.open(f) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
    assert photo.original_filename == "IMG_0001.jpg" and photo.uploaded_by == world.sme


def test_a_heic_photo_from_an_iphone_is_accepted(world):
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, format="HEIF")
    case = scheduled_now(world, started_minutes_ago=60)

    photo = actions.attach_photo(case.pk, SimpleUploadedFile("IMG_0002.HEIC", out.getvalue()), source="upload", actor=world.sme)

    assert photo.image.name.endswith(".jpg")


def test_a_png_photo_is_accepted_from_the_expert(world):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 0, 0)).save(out, format="PNG")
    case = scheduled_now(world, started_minutes_ago=60)

    photo = actions.attach_photo(case.pk, SimpleUploadedFile("a.png", out.getvalue()), source="upload", actor=world.expert.user)

    assert photo.pk


def test_a_mail_photo_can_be_given_as_bytes(world):
    case = scheduled_now(world, started_minutes_ago=60)

    photo = actions.attach_photo(case.pk, jpeg_bytes(), source="mail", filename="shashin.jpg")

    assert photo.source == "mail" and photo.uploaded_by is None and photo.original_filename == "shashin.jpg"


def test_a_non_image_disguised_as_jpg_is_refused_and_nothing_saved(login, world):
    case = scheduled_now(world, started_minutes_ago=60)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is an executable", content_type="image/jpeg")

    with pytest.raises(actions.Refused) as refused:
        actions.attach_photo(case.pk, fake, source="upload", actor=world.sme)

    assert "画像ファイルとして読み込めませんでした" in refused.value.reasons[0]
    assert not CasePhoto.objects.exists()


def test_a_20_mb_attachment_is_refused(world):
    case = scheduled_now(world, started_minutes_ago=60)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (20 * 1024 * 1024), content_type="image/jpeg")

    with pytest.raises(actions.Refused) as refused:
        actions.attach_photo(case.pk, big, source="mail")

    assert "上限" in refused.value.reasons[0]
    assert not CasePhoto.objects.exists()


def test_the_upload_page_shows_the_refusal(login, world):
    case = scheduled_now(world, started_minutes_ago=60)
    fake = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")

    response = login(world.sme).post(reverse("visits:photo_add", args=[case.pk]), {"photo": fake}, follow=True)

    assert "画像ファイルとして読み込めませんでした" in response.content.decode()


def test_a_photo_before_the_visit_day_is_refused(world):
    from dispatch.models import State

    case = world.case_in(State.SCHEDULED)

    with pytest.raises(actions.Refused):
        actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)


def test_an_outsider_cannot_upload(login, world):
    case = scheduled_now(world, started_minutes_ago=60)
    _, stranger = factories.company_with_member()

    response = login(stranger).post(reverse("visits:photo_add", args=[case.pk]), {"photo": jpeg_upload()})

    assert response.status_code == 404
    assert not CasePhoto.objects.exists()


@pytest.mark.parametrize("who", ["sme", "staff", "secretariat"])
def test_parties_and_the_secretariat_see_the_photo_and_each_view_is_audited(login, world, who):
    case = scheduled_now(world, started_minutes_ago=60)
    photo = actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)
    user = getattr(world, who)

    response = login(user).get(reverse("visits:photo", args=[photo.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="visits.photo_viewed", actor=user, object_id=str(case.pk)).count() == 1


def test_the_expert_sees_the_photo(login, world):
    case = scheduled_now(world, started_minutes_ago=60)
    photo = actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)
    assert login(world.expert.user).get(reverse("visits:photo", args=[photo.pk])).status_code == 200


def test_an_outsider_and_a_bureau_reader_get_404_for_the_photo(login, world):
    case = scheduled_now(world, started_minutes_ago=60)
    photo = actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)
    _, stranger = factories.company_with_member()
    hq = factories.grant(factories.UserFactory(), Role.HQ)

    assert login(stranger).get(reverse("visits:photo", args=[photo.pk])).status_code == 404
    assert login(hq).get(reverse("visits:photo", args=[photo.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="visits.photo_viewed").exists()


def test_the_photo_view_needs_a_login(client, world):
    case = scheduled_now(world, started_minutes_ago=60)
    photo = actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)
    assert client.get(reverse("visits:photo", args=[photo.pk])).status_code == 302


def test_the_secretariat_marks_a_photo_not_acceptable_and_the_parties_see_why(login, world):
    case = scheduled_now(world, started_minutes_ago=60)
    photo = actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)

    login(world.secretariat).post(reverse("visits:photo_review", args=[photo.pk]),
                                  {"decision": "reject", "reason": "顔が判別できません"})

    photo.refresh_from_db()
    assert photo.status == "rejected"
    page = login(world.sme).get(reverse("dispatch:detail", args=[case.pk])).content.decode()
    assert "顔が判別できません" in page
    mail = Outbox.objects.get(template="visits_photo_rejected")
    assert world.sme.email in mail.to and world.expert.user.email in mail.to


def test_rejecting_a_photo_needs_a_reason(world):
    case = scheduled_now(world, started_minutes_ago=60)
    photo = actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)

    with pytest.raises(actions.Refused):
        actions.reject_photo(world.secretariat, photo.pk, "  ")

    photo.refresh_from_db()
    assert photo.status == "submitted"


def test_only_the_secretariat_reviews_photos(login, world):
    case = scheduled_now(world, started_minutes_ago=60)
    photo = actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)

    response = login(world.staff).post(reverse("visits:photo_review", args=[photo.pk]), {"decision": "reject", "reason": "x"})

    assert response.status_code == 404
    photo.refresh_from_db()
    assert photo.status == "submitted"


def test_photo_review_refuses_get(login, world):
    case = scheduled_now(world, started_minutes_ago=60)
    photo = actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)
    assert login(world.secretariat).get(reverse("visits:photo_review", args=[photo.pk])).status_code == 405
