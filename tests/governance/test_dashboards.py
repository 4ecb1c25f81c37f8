"""Dashboards: what each role sees, charts, exports parsed back, constant query counts."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from consultations.models import Consultation
from governance import aggregates
from tests import factories
from tests.governance.builders import LAST_YEAR, record


def centre_url(gov, **kwargs):
    return reverse("governance:centre", args=[gov.centre.pk]) + f"?year={LAST_YEAR}"


@pytest.fixture
def records(gov):
    for month in (4, 5, 5, 6):
        record(gov.staff, gov.centre, gov.companies[month % 3], month, outcome=Consultation.Outcome.SOLVED)
    aggregates.refresh(full=True)
    return gov


def test_chief_sees_the_centre_dashboard_with_actuals_and_charts(client, login, records):
    login(records.chief)
    page = client.get(centre_url(records))
    assert page.status_code == 200
    text = page.content.decode()
    assert "相談対応件数" in text and "来訪相談者数" in text and "課題解決件数" in text and "ネットワーク活動件数" in text
    assert text.count("<svg") >= 2  # monthly bars and the cumulative line
    assert "CSV" in text and "Excel" in text


def test_centre_dashboard_is_a_404_for_another_centres_chief(client, login, records):
    other, _staff = records.other_centre()
    outsider = factories.grant(factories.UserFactory(), Role.CHIEF, organisation=other)
    login(outsider)
    assert client.get(centre_url(records)).status_code == 404


def test_anonymous_is_sent_to_login(client, records):
    response = client.get(centre_url(records))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_bureau_sees_its_region_but_not_another(client, login, records):
    login(records.bureau)
    assert client.get(reverse("governance:region", args=["kanto"])).status_code == 200
    assert client.get(reverse("governance:region", args=["kinki"])).status_code == 404
    assert client.get(reverse("governance:nation")).status_code == 404
    assert client.get(centre_url(records)).status_code == 200


def test_chief_cannot_open_the_region_or_the_nation(client, login, records):
    login(records.chief)
    assert client.get(reverse("governance:region", args=["kanto"])).status_code == 404
    assert client.get(reverse("governance:nation")).status_code == 404


@pytest.mark.parametrize("role", [Role.HQ, Role.SECRETARIAT])
def test_hq_and_secretariat_see_the_nation(client, login, records, role):
    login(factories.grant(factories.UserFactory(), role))
    page = client.get(reverse("governance:nation") + f"?year={LAST_YEAR}")
    assert page.status_code == 200
    assert records.centre.name in page.content.decode()


def test_governance_home_sends_each_role_to_its_dashboard(client, login, records):
    login(records.chief)
    assert client.get(reverse("governance:index"))["Location"] == reverse("governance:centre", args=[records.centre.pk])
    login(records.bureau)
    assert client.get(reverse("governance:index"))["Location"] == reverse("governance:region", args=["kanto"])
    login(records.hq)
    assert client.get(reverse("governance:index"))["Location"] == reverse("governance:nation")


def test_csv_export_parses_back_to_the_monthly_table(client, login, records):
    login(records.chief)
    url = reverse("governance:centre_export", args=[records.centre.pk, "monthly", "csv"]) + f"?year={LAST_YEAR}"
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["月", "相談対応件数"]
    assert [r[1] for r in rows[1:4]] == ["1", "2", "1"]
    assert len(rows) == 13


def test_excel_export_parses_back_to_the_national_centre_table(client, login, records):
    login(records.hq)
    url = reverse("governance:nation_export", args=["centres", "xlsx"]) + f"?year={LAST_YEAR}"
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "拠点"
    centre_row = next(r for r in rows if r[0] == records.centre.name)
    assert centre_row[3] == 4  # 相談対応件数 実績


@pytest.mark.parametrize("key", ["targets", "monthly", "focus", "surveys", "followups", "visits", "trainings", "network", "qualifications"])
def test_every_centre_table_exports_as_csv_and_excel(client, login, records, key):
    login(records.chief)
    for fmt in ("csv", "xlsx"):
        url = reverse("governance:centre_export", args=[records.centre.pk, key, fmt]) + f"?year={LAST_YEAR}"
        assert client.get(url).status_code == 200


def test_unknown_table_or_format_is_a_404(client, login, records):
    login(records.chief)
    assert client.get(reverse("governance:centre_export", args=[records.centre.pk, "nope", "csv"])).status_code == 404
    assert client.get(reverse("governance:centre_export", args=[records.centre.pk, "monthly", "pdf"])).status_code == 404


def _grow(gov, n):
    """More centres, staff, consultations and plans: the dashboards must not issue more queries."""
    from reference.models import Prefecture

    from governance import actions

    for i in range(n):
        org = factories.OrganisationFactory(prefecture=Prefecture.objects.get(code=f"{8 + i:02d}"))
        chief = factories.grant(factories.UserFactory(), Role.CHIEF, organisation=org)
        actions.save_plan(chief, org, LAST_YEAR, {"needs_analysis": "", "plan_text": "", "target_consultations": 10,
                                                  "target_visitors": 5, "target_solved": 5, "target_network": 2})
        for month in (4, 7, 10):
            record(chief, org, gov.companies[i % 4], month, outcome=Consultation.Outcome.SOLVED)
    aggregates.refresh(full=True)


@pytest.mark.parametrize("which", ["nation", "region", "centre"])
def test_dashboard_query_count_does_not_grow_with_data(client, login, records, django_assert_max_num_queries, which):
    login(records.hq)
    url = {"nation": reverse("governance:nation"), "region": reverse("governance:region", args=["kanto"]),
           "centre": reverse("governance:centre", args=[records.centre.pk])} [which] + f"?year={LAST_YEAR}"
    client.get(url)  # settings row and sessions warm
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    _grow(records, 4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
