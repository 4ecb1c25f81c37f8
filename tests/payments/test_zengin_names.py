"""Before the 全銀 file is written, the batch page lists the account holder names the file will cut
(and how they will read); names that cannot be written at all are refused in Japanese, naming the
expert, and nothing changes."""

import datetime

import pytest
from django.urls import reverse

from core.dates import add_business_days
from directory.models import BankAccount
from payments import actions, zengin
from payments.models import PaymentBatch, Remittance
from tests.payments.builders import paid_expert

pytestmark = pytest.mark.django_db

LONG = "カ）ヨロズビジネスコンサルティングアンドマネジメント"  # 26 characters, 32 in half-width kana


@pytest.fixture(autouse=True)
def remitter(settings):
    settings.ZENGIN_REMITTER = {"code": "0123456789", "name": "ヨロズジギヨウ　ジムキヨク", "bank_code": "0005",
                                "branch_code": "001", "account_type": "1", "account_number": "7654321"}


def make_batch(world):
    today = datetime.date.today()
    return actions.create_batch(world.secretariat, today - datetime.timedelta(days=40), today, add_business_days(today, 2))


@pytest.fixture
def long_named(world):
    corporate = paid_expert(holder=LONG, is_corporation=True, display_name="株式会社よろずビジネス")
    world.verified(days_ago=12)
    world.verified(days_ago=11, expert=corporate, company=world.new_company())
    return corporate


def detail(client, batch):
    return client.get(reverse("payments:batch_detail", args=[batch.pk])).content.decode()


def test_the_batch_page_lists_the_names_the_file_will_cut_and_how_they_read(login, world, long_named):
    batch = make_batch(world)
    page = detail(login(world.secretariat), batch)
    assert "振込ファイルで口座名義が切り詰められる専門家（1人）" in page
    assert "株式会社よろずビジネス" in page and LONG in page
    assert "<code>ｶ)ﾖﾛｽﾞﾋﾞｼﾞﾈｽｺﾝｻﾙﾃｲﾝｸﾞｱﾝﾄﾞﾏﾈｼﾞﾒ</code>" in page and "<code>ﾝﾄ</code>" in page
    assert "ヤマダ　タロウ" not in page.split('id="cut-names"')[1].split("</section>")[0]  # a name that fits


def test_the_file_is_still_written_and_holds_the_name_as_the_page_said(login, world, long_named):
    batch = make_batch(world)
    client = login(world.secretariat)
    response = client.post(reverse("payments:batch_export", args=[batch.pk]))
    assert response.status_code == 200
    names = [r["name"] for r in zengin.parse(response.content).records]
    assert "ｶ)ﾖﾛｽﾞﾋﾞｼﾞﾈｽｺﾝｻﾙﾃｲﾝｸﾞｱﾝﾄﾞﾏﾈｼﾞﾒ" in names
    assert "振込ファイルで口座名義が切り詰められる専門家（1人）" in detail(client, batch)  # still shown until paid


def test_a_name_that_cannot_be_written_is_shown_before_export_and_refused_naming_the_expert(login, world):
    world.verified(days_ago=12)
    batch = make_batch(world)
    # changed behind the forms' back (they accept katakana only), e.g. by a data import
    BankAccount.objects.filter(expert=world.expert).update(holder_kana="山田　タロウ")
    client = login(world.secretariat)
    reason = f"{world.expert.display_name}：口座名義を半角カナにできません。「山田　タロウ」に全銀ファイルで使えない文字（山、田）があります。"
    assert reason in detail(client, batch)
    response = client.post(reverse("payments:batch_export", args=[batch.pk]), follow=True)
    assert response.status_code == 200 and reason in response.content.decode()
    batch.refresh_from_db()
    assert (batch.state, batch.export_count) == (PaymentBatch.State.OPEN, 0)


def test_a_frozen_name_that_cannot_be_written_is_refused_naming_the_payee(login, world):
    world.verified(days_ago=12)
    batch = make_batch(world)
    client = login(world.secretariat)
    client.post(reverse("payments:batch_export", args=[batch.pk]))
    Remittance.objects.filter(batch=batch).update(holder_kana="ヤマダ〜タロウ")
    response = client.post(reverse("payments:batch_export", args=[batch.pk]), follow=True)
    page = response.content.decode()
    assert f"{world.expert.display_name}：振込先を振込ファイルに書けません。" in page and "（〜）" in page
    assert PaymentBatch.objects.get(pk=batch.pk).export_count == 1


def test_a_remitter_name_that_cannot_be_written_is_refused_in_japanese(login, world, settings):
    settings.ZENGIN_REMITTER = {**settings.ZENGIN_REMITTER, "name": "よろず事業　事務局"}
    world.verified(days_ago=12)
    batch = make_batch(world)
    response = login(world.secretariat).post(reverse("payments:batch_export", args=[batch.pk]), follow=True)
    assert "振込依頼人（事務局の口座）：「よろず事業　事務局」に全銀ファイルで使えない文字（事、業、務、局）があります。" in (
        response.content.decode())
    assert PaymentBatch.objects.get(pk=batch.pk).state == PaymentBatch.State.OPEN
