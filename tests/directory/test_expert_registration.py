"""Experts register, keep a profile with a sanitised photo, and wait for the secretariat."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import RoleGrant, User
from accounts.roles import Role
from core.models import AuditEvent
from directory.models import ExpertProfile
from reference.models import Qualification, Specialty
from tests import factories

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "診断士花子",
    "name_kana": "しんだんしはなこ",
    "email": "hanako@shindanshi.example.jp",
    "password1": "shindanshi-2026-secure",
    "password2": "shindanshi-2026-secure",
    "agree": "on",
}


def profile_form(**overrides):
    data = {
        "display_name": "診断士花子",
        "display_name_kana": "しんだんしはなこ",
        "headline": "Web集客の専門家",
        "specialties": [Specialty.objects.get(name="IT・Web活用").pk],
        "base_prefecture": "13",
        "areas": ["13", "14"],
        "qualifications": [Qualification.objects.get(name="中小企業診断士").pk],
        "career": "IT企業で10年",
        "bio": "ホームページ改善と販路開拓を支援します。",
        "invoice_number": "T4010001008772",
    }
    data.update(overrides)
    return data


@pytest.fixture
def expert_user(db):
    return factories.UserFactory(name="診断士花子")


def test_expert_signs_up_and_is_pending(client):
    response = client.post(reverse("accounts:signup_kind", args=["expert"]), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:expert_profile_edit")
    user = User.objects.get(email=SIGNUP["email"])
    grant = RoleGrant.objects.get(user=user)
    assert grant.role == Role.EXPERT and grant.status == RoleGrant.Status.PENDING
    assert not user.has_role(Role.EXPERT)


def test_expert_saves_profile_and_sees_pending_state(client, login, expert_user, gps_photo):
    login(expert_user)
    response = client.post(reverse("directory:expert_profile_edit"), {**profile_form(), "photo": gps_photo})
    assert response.status_code == 302
    expert = ExpertProfile.objects.get(user=expert_user)
    assert expert.status == ExpertProfile.Status.PENDING
    assert expert.invoice_number == "T4010001008772"
    assert {p.code for p in expert.areas.all()} == {"13", "14"}
    assert expert.qualifications.get().qualification.name == "中小企業診断士"
    assert RoleGrant.objects.get(user=expert_user, role=Role.EXPERT).status == RoleGrant.Status.PENDING
    event = AuditEvent.objects.get(action="expert.created")
    assert event.actor == expert_user and event.changes["photo"] == ["", "updated"]
    home = client.get(reverse("accounts:home")).content.decode()
    assert "審査中" in home and "事務局の審査が終わるまで" in home


def test_stored_photo_is_reencoded_without_exif(client, login, expert_user, gps_photo):
    login(expert_user)
    client.post(reverse("directory:expert_profile_edit"), {**profile_form(), "photo": gps_photo})
    expert = ExpertProfile.objects.get(user=expert_user)
    # the original file name is not kept
    assert "IMG_0001" not in expert.photo.name
    with expert.photo.open("rb") as fp:
        stored = Image.open(io.BytesIO(fp.read()))
        assert stored.format == "JPEG"
        assert stored.size == (64, 48)
        assert len(stored.getexif()) == 0
        assert "exif" not in stored.info


def test_photo_is_served_to_owner_through_permission_checked_view(client, login, expert_user, gps_photo):
    login(expert_user)
    client.post(reverse("directory:expert_profile_edit"), {**profile_form(), "photo": gps_photo})
    expert = ExpertProfile.objects.get(user=expert_user)
    response = client.get(reverse("directory:expert_photo", args=[expert.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    data = b"".join(response.streaming_content)
    assert len(Image.open(io.BytesIO(data)).getexif()) == 0


def test_updating_profile_records_changes(client, login, expert_user):
    login(expert_user)
    client.post(reverse("directory:expert_profile_edit"), profile_form())
    client.post(reverse("directory:expert_profile_edit"), profile_form(headline="財務の専門家"))
    event = AuditEvent.objects.get(action="expert.updated")
    assert event.changes == {"headline": ["Web集客の専門家", "財務の専門家"]}


def bad_upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def gif_bytes():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    "upload, message",
    [
        (lambda: bad_upload("face.jpg", b"%PDF-1.4 not an image at all"), "画像ファイルとして読み込めません"),
        (lambda: bad_upload("face.gif", gif_bytes(), "image/gif"), "JPEG・PNG・HEIC形式"),
        (lambda: jpeg_with_gps(size=(1200, 1200)), "上限"),
    ],
)
def test_bad_photo_is_refused_and_nothing_saved(client, login, expert_user, settings, upload, message):
    settings.MAX_IMAGE_UPLOAD_BYTES = 20 * 1024  # the 1200px image is larger than this
    login(expert_user)
    response = client.post(reverse("directory:expert_profile_edit"), {**profile_form(), "photo": upload()})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["photo"])
    assert message in errors
    assert 'id="id_photo_error"' in response.content.decode()
    assert not ExpertProfile.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="expert.").exists()


@pytest.mark.parametrize(
    "value, ok",
    [
        ("T4010001008772", True),
        ("t4010001008772", True),
        ("Ｔ４０１０００１００８７７２", True),
        ("4010001008772", False),   # missing T
        ("T401000100877", False),   # 12 digits
        ("X4010001008772", False),
        ("T5010001008772", False),  # wrong check digit
    ],
)
def test_invoice_number_shape_is_checked(client, login, expert_user, value, ok):
    login(expert_user)
    response = client.post(reverse("directory:expert_profile_edit"), profile_form(invoice_number=value))
    if ok:
        assert response.status_code == 302
        assert ExpertProfile.objects.get().invoice_number == "T4010001008772"
    else:
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors["invoice_number"])
        assert "登録番号" in errors or "法人番号" in errors
        assert not ExpertProfile.objects.exists()


def test_profile_requires_a_specialty_and_area(client, login, expert_user):
    login(expert_user)
    response = client.post(reverse("directory:expert_profile_edit"), profile_form(specialties=[], areas=[]))
    assert response.status_code == 200
    assert "必須" in " ".join(response.context["form"].errors["specialties"])
    assert not ExpertProfile.objects.exists()


def test_anonymous_is_sent_to_login_for_profile(client):
    response = client.get(reverse("directory:expert_profile_edit"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_expert_removes_photo_and_the_file_is_deleted(client, login, expert_user, gps_photo, media_root):
    login(expert_user)
    client.post(reverse("directory:expert_profile_edit"), {**profile_form(), "photo": gps_photo})
    expert = ExpertProfile.objects.get(user=expert_user)
    stored = media_root / expert.photo.name
    assert stored.exists()
    client.post(reverse("directory:expert_profile_edit"), {**profile_form(), "photo-clear": "on"})
    expert.refresh_from_db()
    assert not expert.photo
    assert not stored.exists()
    assert client.get(reverse("directory:expert_photo", args=[expert.pk])).status_code == 404


def test_replacing_photo_deletes_the_old_file(client, login, expert_user, media_root):
    login(expert_user)
    client.post(reverse("directory:expert_profile_edit"), {**profile_form(), "photo": jpeg_with_gps()})
    old = media_root / ExpertProfile.objects.get().photo.name
    client.post(reverse("directory:expert_profile_edit"), {**profile_form(), "photo": jpeg_with_gps((80, 80))})
    new = media_root / ExpertProfile.objects.get().photo.name
    assert new.exists() and not old.exists()
