"""Actuals are computed from the records: hand-counted fixtures against the aggregates and the dashboard."""

import pytest

from consultations.models import Consultation
from governance import actions, aggregates, dashboard
from governance.models import ActivityMonth, FocusMonth, NetworkActivity
from reference.models import Specialty
from tests.governance.builders import LAST_YEAR, at, certify, day, record

IN_PERSON, PHONE, WEB = Consultation.Channel.IN_PERSON, Consultation.Channel.PHONE, Consultation.Channel.WEB
SOLVED, CONTINUE, REFERRED = Consultation.Outcome.SOLVED, Consultation.Outcome.CONTINUE, Consultation.Outcome.REFERRED


@pytest.fixture
def year_of_records(gov):
    """Last fiscal year at the centre, counted by hand:
    April: 3 consultations (2 in person, both company 0; 1 solved); May: 2 (company 1 in person, solved; company 2
    by Web, referred, about finance); June: 1 in person (company 0 again); one dispatch certified in May;
    network activities: 2 in April, 1 in June. Plus noise that must not count: another centre, this year."""
    c = gov.companies
    record(gov.staff, gov.centre, c[0], 4, 3, IN_PERSON, SOLVED)
    record(gov.staff, gov.centre, c[1], 4, 8, PHONE, CONTINUE)
    record(gov.staff, gov.centre, c[0], 4, 20, IN_PERSON, CONTINUE)
    record(gov.staff, gov.centre, c[1], 5, 7, IN_PERSON, SOLVED)
    record(gov.staff, gov.centre, c[2], 5, 9, WEB, REFERRED, topics=("資金繰り・財務",))
    record(gov.staff, gov.centre, c[0], 6, 1, IN_PERSON, CONTINUE)
    certify(gov, gov.case_in("scheduled"), at(5, 20))
    for month, d in ((4, 10), (4, 25), (6, 5)):
        NetworkActivity.objects.create(
            organisation=gov.centre, held_on=day(month, d), fiscal_year=LAST_YEAR, staff=gov.staff, partner_kind="shokokai",
            partner_name="府中市商工会", purpose="visit", created_by=gov.staff)
    other, other_staff = gov.other_centre()
    record(other_staff, other, c[3], 4, 3, IN_PERSON, SOLVED)
    return gov


def month_values(centre, month, field):
    return ActivityMonth.objects.get(organisation=centre, month=day(month, 1)).__dict__[field]


def test_refresh_counts_consultations_visitors_solved_and_network_by_month(year_of_records):
    gov = year_of_records
    aggregates.refresh(full=True)
    expected = {
        4: dict(consultations=3, in_person=2, new_visitors=1, solved_consultations=1, certified_dispatches=0, network_activities=2),
        5: dict(consultations=2, in_person=1, new_visitors=1, solved_consultations=1, certified_dispatches=1, network_activities=0),
        6: dict(consultations=1, in_person=1, new_visitors=0, solved_consultations=0, certified_dispatches=0, network_activities=1),
        7: dict(consultations=0, in_person=0, new_visitors=0, solved_consultations=0, certified_dispatches=0, network_activities=0),
    }
    for month, counts in expected.items():
        for field, value in counts.items():
            assert month_values(gov.centre, month, field) == value, (month, field)


def test_year_to_date_actuals_against_targets_on_the_dashboard(year_of_records, settings):
    gov = year_of_records
    actions.save_plan(gov.chief, gov.centre, LAST_YEAR, {
        "needs_analysis": "分析", "plan_text": "計画", "target_consultations": 12, "target_visitors": 4,
        "target_solved": 6, "target_network": 3,
    })
    aggregates.refresh(full=True)
    data = dashboard.centre_dashboard(gov.centre, LAST_YEAR, day(3, 31, LAST_YEAR))
    rows = {r[0]: r[1:4] for r in dashboard.find_table(data, "targets").rows}
    assert rows["相談対応件数"] == [12, 6, 50.0]
    assert rows["来訪相談者数"] == [4, 2, 50.0]
    assert rows["課題解決件数"] == [6, 3, 50.0]
    assert rows["ネットワーク活動件数"] == [3, 3, 100.0]


def test_monthly_table_has_running_totals(year_of_records):
    aggregates.refresh(full=True)
    data = dashboard.centre_dashboard(year_of_records.centre, LAST_YEAR, day(3, 31, LAST_YEAR))
    monthly = dashboard.find_table(data, "monthly").rows
    assert [r[-2] for r in monthly[:4]] == [3, 5, 6, 6]  # consultations, cumulative
    assert [r[-1] for r in monthly[:4]] == [1, 3, 3, 3]  # problems solved, cumulative
    assert len(monthly) == 12


def test_focus_area_counts_each_consultation_once_in_its_fields(year_of_records):
    gov = year_of_records
    plan = actions.save_plan(gov.chief, gov.centre, LAST_YEAR, {
        "needs_analysis": "", "plan_text": "", "target_consultations": 1, "target_visitors": 1, "target_solved": 1,
        "target_network": 1,
    })
    both = list(Specialty.objects.filter(name__in=["IT・Web活用", "資金繰り・財務"]))
    area = actions.add_focus_area(gov.chief, plan.pk, "DX と資金繰り", both, 10)
    it_only = actions.add_focus_area(gov.chief, plan.pk, "DX", both[:1] if both[0].name == "IT・Web活用" else both[1:], 10)
    assert sum(FocusMonth.objects.filter(focus_area=area).values_list("consultations", flat=True)) == 6
    assert sum(FocusMonth.objects.filter(focus_area=it_only).values_list("consultations", flat=True)) == 5


def test_incremental_refresh_picks_up_a_new_consultation(year_of_records):
    gov = year_of_records
    aggregates.refresh(full=True)
    record(gov.staff, gov.centre, gov.companies[3], 7, 1, IN_PERSON, SOLVED)
    assert aggregates.refresh() >= 1
    assert month_values(gov.centre, 7, "consultations") == 1
    assert month_values(gov.centre, 7, "new_visitors") == 1
    assert month_values(gov.centre, 7, "solved_consultations") == 1
