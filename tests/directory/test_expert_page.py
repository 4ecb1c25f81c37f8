"""Public expert page: profile, verified qualifications, measured facts; no contact data."""

from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.stats import record_expert_activity
from reference.models import Qualification
from tests import factories


@pytest.fixture
def expert(db):
    user = factories.UserFactory(email="yamada.private@example.jp", phone="090-1234-5678")
    expert = factories.ExpertFactory(
        user=user, display_name="山田 太郎", display_name_kana="やまだ たろう", headline="飲食店の集客",
        bio="店舗集客支援を行っています。", career="商工会で10年。",
    )
    expert.qualifications.create(qualification=Qualification.objects.get(name="中小企業診断士"), verified_at=timezone.now())
    expert.qualifications.create(qualification=Qualification.objects.get(name="販売士"))
    return expert


def test_anyone_sees_profile_qualifications_and_areas_without_logging_in(client, expert):
    response = client.get(reverse("directory:expert_detail", args=[expert.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ["山田 太郎", "飲食店の集客", "店舗集客支援を行っています。", "商工会で10年。", "IT・Web活用", "東京都", "神奈川県"]:
        assert text in page
    assert "中小企業診断士 <span class=\"badge badge-approved\">事務局確認済み</span>" in page
    assert "販売士 <span class=\"badge badge-pending\">未確認</span>" in page


def test_page_shows_no_email_or_phone(client, expert):
    page = client.get(reverse("directory:expert_detail", args=[expert.pk])).content.decode()
    assert "yamada.private@example.jp" not in page
    assert "090-1234-5678" not in page
    assert "mailto:" not in page and "tel:" not in page


def test_page_shows_facts_measured_by_the_system(client, expert):
    # given: two completed dispatches rated 4 and 5, the last on 2026-10-05
    record_expert_activity(expert.pk, dispatches_completed=1, rating=4, at=datetime(2026, 9, 1, 3, tzinfo=dt_timezone.utc))
    record_expert_activity(expert.pk, dispatches_completed=1, rating=5, at=datetime(2026, 10, 5, 3, tzinfo=dt_timezone.utc))
    # when
    page = client.get(reverse("directory:expert_detail", args=[expert.pk])).content.decode()
    # then
    assert "2件" in page
    assert "4.5 / 5（2件）" in page
    assert "2026年10月5日" in page


def test_expert_without_activity_says_so(client, expert):
    page = client.get(reverse("directory:expert_detail", args=[expert.pk])).content.decode()
    assert "まだ評価はありません" in page and "記録なし" in page


def test_photo_is_shown_only_through_the_permission_checked_view(client, expert):
    from django.core.files.base import ContentFile

    expert.photo.save("face.jpg", ContentFile(b"\xff\xd8\xff\xe0fakejpeg"), save=True)
    page = client.get(reverse("directory:expert_detail", args=[expert.pk])).content.decode()
    assert f'src="{reverse("directory:expert_photo", args=[expert.pk])}"' in page
    assert "/media/" not in page


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_unapproved_expert_page_is_404(client, db, status):
    hidden = factories.ExpertFactory(status=status)
    assert client.get(reverse("directory:expert_detail", args=[hidden.pk])).status_code == 404


def test_unknown_expert_is_404(client, db):
    assert client.get(reverse("directory:expert_detail", args=[999999])).status_code == 404


def test_rating_must_be_between_1_and_5(db, expert):
    with pytest.raises(ValueError):
        record_expert_activity(expert.pk, rating=6)


def test_expert_page_issues_a_constant_number_of_queries(client, expert, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(reverse("directory:expert_detail", args=[expert.pk]))


def test_page_lists_industries_in_classification_order_or_a_dash_when_none(client, expert):
    from reference.models import Industry

    page = client.get(reverse("directory:expert_detail", args=[expert.pk])).content.decode()
    assert "<dt>得意業種</dt><dd>—</dd>" in page
    # given two middle divisions added in reverse of the classification order
    later, earlier = Industry.objects.filter(parent__isnull=False).order_by("-sort_key")[0], \
        Industry.objects.filter(parent__isnull=False).order_by("sort_key")[0]
    expert.industries.add(later)
    expert.industries.add(earlier)
    page = client.get(reverse("directory:expert_detail", args=[expert.pk])).content.decode()
    assert f"<dt>得意業種</dt><dd>{earlier.name}、{later.name}</dd>" in page
