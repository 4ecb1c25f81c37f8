"""English mode is real: choice labels, dates and reasons built in Python follow the language;
Japanese pages stay exactly as they were, and mail stays Japanese (users have no language of their own)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from directory import search
from dispatch.models import State
from notifications.models import Outbox
from reference.models import Prefecture, Specialty
from tests import factories
from tests.case_fixtures import private_media, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def english_date(moment):
    local = timezone.localtime(moment)
    return f"{local:%b} {local.day}, {local.year}"


def test_case_page_shows_the_state_and_the_date_in_english(login, world):
    case = world.case_in(State.SCHEDULED)
    page = in_english(login(world.staff)).get(reverse("dispatch:detail", args=[case.pk])).content.decode()
    assert '<html lang="en">' in page
    assert ">Scheduled</span>" in page
    start = timezone.localtime(case.starts_at)
    assert f"{english_date(case.starts_at)} {start:%H:%M}" in page
    assert "日程確定" not in page and f"{start.year}年{start.month}月{start.day}日" not in page


def test_case_page_stays_japanese_by_default(login, world):
    case = world.case_in(State.SCHEDULED)
    page = login(world.staff).get(reverse("dispatch:detail", args=[case.pk])).content.decode()
    start = timezone.localtime(case.starts_at)
    assert ">日程確定</span>" in page
    assert f"{start.year}年{start.month}月{start.day}日 {start:%H:%M}" in page


def test_case_list_filter_offers_english_state_labels(login, world):
    page = in_english(login(world.staff)).get(reverse("dispatch:list")).content.decode()
    assert "Applied (awaiting the secretariat&#x27;s review)" in page
    assert "申請中（事務局の審査待ち）" not in page


def _tokyo_marketer():
    expert = factories.ExpertFactory(display_name="東京集客", bio="飲食店の集客をSNSとホームページで支援します。",
                                     base_prefecture=Prefecture.objects.get(code="13"))
    expert.specialties.set(Specialty.objects.filter(name__in=["店舗運営・集客"]))
    expert.areas.set(Prefecture.objects.filter(code="13"))
    search.reindex_expert(expert.pk)
    return expert


def test_recommendation_reasons_are_in_english(login, organisation):
    _tokyo_marketer()
    coordinator = factories.grant(factories.UserFactory(), "coordinator", organisation=organisation)
    page = in_english(login(coordinator)).get(reverse("directory:recommend"), {"text": "飲食店の集客", "prefecture": "13"})
    page = page.content.decode()
    assert "Matching specialties: 店舗運営・集客" in page
    assert "Covers 東京都" in page and "Based in 東京都" in page
    assert "専門分野が一致" not in page


def test_recommendation_reasons_stay_japanese_by_default(login, organisation):
    _tokyo_marketer()
    coordinator = factories.grant(factories.UserFactory(), "coordinator", organisation=organisation)
    page = login(coordinator).get(reverse("directory:recommend"), {"text": "飲食店の集客", "prefecture": "13"}).content.decode()
    assert "専門分野が一致: 店舗運営・集客" in page and "対応地域: 東京都" in page


def test_quota_refusal_is_in_english_for_an_english_coordinator(login, world):
    for days in (10, 11, 12):
        world.case_in(State.APPLIED, days=days)
    fourth = world.draft(days=13)
    client = in_english(login(world.staff))
    page = client.post(reverse("dispatch:apply", args=[fourth.pk]), follow=True).content.decode()
    assert "This business has reached its limit of dispatches for fiscal" in page
    fourth.refresh_from_db()
    assert fourth.state == State.DRAFT


def test_mail_stays_japanese_when_the_sender_browses_in_english(login, world):
    case = world.draft()
    in_english(login(world.staff)).post(reverse("dispatch:apply", args=[case.pk]))
    mail = Outbox.objects.filter(template="dispatch_applied").latest("pk")
    start = timezone.localtime(case.starts_at)
    assert mail.subject.startswith("【よろず】専門家派遣の申請がありました")
    assert f"支援日時：{start.year}年{start.month}月{start.day}日 {start:%H:%M}" in mail.body_text


@pytest.mark.parametrize("name", ["DATE_FORMAT", "MONTH_DAY_FORMAT", "DATETIME_MINUTE_FORMAT", "DATETIME_SECOND_FORMAT",
                                  "MONTH_DAY_TIME_FORMAT", "DATE_WEEKDAY_FORMAT", "DATETIME_WEEKDAY_FORMAT",
                                  "ISO_DATE_WEEKDAY_FORMAT", "MONTH_DAY_WEEKDAY_FORMAT"])
def test_every_named_date_format_exists_in_every_language(name):
    # A name missing in one language would be printed as format characters, not as a date.
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            assert formats.get_format(name) != name


def test_named_formats_read_japanese_and_english():
    moment = timezone.make_aware(datetime.datetime(2026, 11, 23, 9, 5))
    with translation.override("ja"):
        assert formats.date_format(moment, "DATE_WEEKDAY_FORMAT") == "2026年11月23日（月）"
    with translation.override("en"):
        assert formats.date_format(moment, "DATE_FORMAT") == "Nov 23, 2026"
        assert formats.date_format(moment, "DATETIME_WEEKDAY_FORMAT") == "Mon, Nov 23, 2026 09:05"
