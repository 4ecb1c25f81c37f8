"""Usage per week, theme, channel, referral source and 商工会 (zero use included), with charts and
CSV/Excel exports that read back."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from desk import actions, reports
from desk.models import Channel, Source
from tests import factories
from tests.desk.builders import at, business_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def used(world):
    """Two bookings (one by the 商工会's adviser, one cancelled) and a walk-in."""
    day = business_day(3)
    world.staff_day(day)
    first = world.book(at(day, 9, 30), source=Source.RADIO)
    world.book(at(day, 10, 30), actor=world.adviser, source=Source.SHOKOKAI, channel=Channel.PHONE)
    other_company, other_sme = factories.company_with_member(name="株式会社多摩精工")
    cancelled = world.book(at(day, 11, 30), actor=other_sme, company=other_company, source=Source.WEB)
    actions.cancel_booking(other_sme, cancelled.pk)
    actions.log_walk_in(world.consultant_a, world.desk.pk, {
        "starts_at": timezone.now() - datetime.timedelta(hours=1), "channel": Channel.PHONE,
        "caller_company": "檜原そば処", "shokokai": world.quiet_shokokai, "source": Source.FLYER,
    })
    return first


def period():
    return timezone.localdate() - datetime.timedelta(days=7), timezone.localdate() + datetime.timedelta(days=28)


def row(rows, label):
    return next(r for r in rows if r.label == label)


def test_usage_per_referral_source_counts_bookings_and_walk_ins(world, used):
    data = reports.build(world.desk, *period())
    sources = data["source"]
    assert [r.label for r in sources] == ["チラシ", "ラジオCM", "新聞広告", "商工会の紹介", "Web", "その他", "未回答"]
    assert (row(sources, "ラジオCM").uses, row(sources, "チラシ").walk_ins, row(sources, "新聞広告").uses) == (1, 1, 0)
    assert row(sources, "Web").cancelled == 1 and row(sources, "Web").uses == 0
    assert data["totals"].uses == 3 and data["totals"].cancelled == 1


def test_every_shokokai_of_the_prefecture_is_listed_even_without_use(world, used):
    silent = factories.OrganisationFactory(name="奥多摩町商工会", kind="shokokai")
    rows = reports.build(world.desk, *period())["shokokai"]
    labels = [r.label for r in rows]
    assert labels[-1] == "商工会を通さない利用"
    # the SME's own booking counts for the 商工会 its company is a registered member of
    assert row(rows, "府中市商工会").uses == 2 and row(rows, "府中市商工会").by_adviser == 1
    assert row(rows, "檜原村商工会").walk_ins == 1
    assert row(rows, silent.name).uses == 0
    assert row(rows, "商工会を通さない利用").cancelled == 1 and row(rows, "商工会を通さない利用").uses == 0


def test_usage_per_channel_and_theme(world, used):
    data = reports.build(world.desk, *period())
    assert (row(data["channel"], "Web会議").uses, row(data["channel"], "電話").uses) == (1, 2)
    assert row(data["theme"], "資金繰り・財務").uses == 2 and row(data["theme"], "テーマ指定なし").uses == 1


def test_the_report_page_shows_charts_and_the_unused_shokokai(login, world, used, django_assert_max_num_queries):
    factories.OrganisationFactory(name="奥多摩町商工会", kind="shokokai")
    client = login(world.chief)
    url = reverse("desk:reports", args=[world.desk.pk])
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 5
    assert 'role="img"' in html and "ラジオCM 1件" in html
    assert "この期間に利用のない商工会</strong>：奥多摩町商工会" in html


def test_the_csv_export_reads_back(login, world, used):
    start, end = period()
    response = login(world.chief).get(reverse("desk:export_csv", args=[world.desk.pk]),
                                      {"table": "source", "start": start.isoformat(), "end": end.isoformat()})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["きっかけ", "利用件数"]
    assert ["ラジオCM", "1", "1", "0", "0", "0"] in rows


def test_the_entries_csv_lists_each_booking(login, world, used):
    start, end = period()
    response = login(world.chief).get(reverse("desk:export_csv", args=[world.desk.pk]),
                                      {"start": start.isoformat(), "end": end.isoformat()})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 4
    assert any(r[3] == "檜原そば処" and r[1] == "予約なし" for r in rows)


def test_the_excel_export_has_a_sheet_per_table_and_the_entries(login, world, used):
    start, end = period()
    response = login(world.chief).get(reverse("desk:export_xlsx", args=[world.desk.pk]),
                                      {"start": start.isoformat(), "end": end.isoformat()})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["週別", "テーマ別", "相談方法別", "窓口を知ったきっかけ別", "商工会別", "明細"]
    values = [list(r) for r in book["商工会別"].iter_rows(min_row=3, values_only=True)]
    assert ["府中市商工会", 2, 2, 0, 0, 0, 1] in values
    assert any(v[0] == "檜原村商工会" for v in values)
    assert book["明細"].max_row == 5


def test_a_consultant_cannot_see_the_reports(login, world):
    assert login(world.consultant_a).get(reverse("desk:reports", args=[world.desk.pk])).status_code == 404


def test_an_unknown_export_table_is_404(login, world):
    response = login(world.chief).get(reverse("desk:export_csv", args=[world.desk.pk]), {"table": "users"})
    assert response.status_code == 404


def test_an_end_before_the_start_is_refused(login, world):
    response = login(world.chief).get(reverse("desk:reports", args=[world.desk.pk]),
                                      {"start": "2026-12-01", "end": "2026-11-01"})
    assert "終了日は開始日以降の日付にしてください" in response.content.decode()
