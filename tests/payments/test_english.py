"""Payment pages in English: the batch's state, its dates and its amounts (¥) read in English; Japanese
pages are unchanged."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from core.dates import add_business_days
from payments import actions

pytestmark = pytest.mark.django_db


def batch_of(world):
    world.verified(days_ago=12)
    today = datetime.date.today()
    return actions.create_batch(world.secretariat, today - datetime.timedelta(days=40), today,
                                add_business_days(today, 2))


def test_the_batch_page_shows_its_state_date_and_amounts_in_english(login, world):
    batch = batch_of(world)
    client = login(world.secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("payments:batch_detail", args=[batch.pk])).content.decode()
    day = batch.transfer_date
    assert ">Created (transfer file not exported)</span>" in page
    assert f"<dd>{day:%b} {day.day}, {day.year}</dd>" in page
    assert f"¥{batch.net_total:,}" in page
    assert "作成済み" not in page and "円" not in page and f"{day.year}年" not in page


def test_the_batch_page_stays_japanese_by_default(login, world):
    batch = batch_of(world)
    page = login(world.secretariat).get(reverse("payments:batch_detail", args=[batch.pk])).content.decode()
    day = batch.transfer_date
    assert ">作成済み（振込ファイル未出力）</span>" in page
    assert f"<dd>{day.year}年{day.month}月{day.day}日</dd>" in page
    assert f"{batch.net_total:,}円" in page and "¥" not in page
