import datetime

import pytest
from django.urls import reverse

from core.models import AuditEvent
from programme.models import ProgrammeYear
from programme.services import programme_for, programme_for_year

pytestmark = pytest.mark.django_db


def test_a_year_is_created_with_the_programme_defaults():
    year = programme_for(datetime.date(2026, 11, 23))
    assert year.fiscal_year == 2026
    assert (year.dispatch_quota, year.it_dispatch_quota, year.time_window_minutes) == (3, 5, 20)
    assert year.application_deadline == datetime.date(2027, 2, 28)
    assert not year.phone_consultation_allowed
    assert [s.name for s in year.it_specialties.all()] == ["IT・Web活用"]


def test_the_deadline_is_the_end_of_february_in_leap_years():
    assert programme_for_year(2027).application_deadline == datetime.date(2028, 2, 29)


def test_march_belongs_to_the_previous_fiscal_year():
    assert programme_for(datetime.date(2027, 3, 31)).fiscal_year == 2026
    assert programme_for(datetime.date(2027, 4, 1)).fiscal_year == 2027


def test_a_new_year_copies_last_years_rules_but_not_the_disaster_exception():
    last = programme_for_year(2026)
    last.dispatch_quota, last.phone_consultation_allowed = 4, True
    last.save()
    new = programme_for_year(2027)
    assert new.dispatch_quota == 4 and not new.phone_consultation_allowed
    assert ProgrammeYear.objects.count() == 2


def test_secretariat_edits_the_year_and_it_is_audited(login, secretariat):
    client = login(secretariat)
    year = programme_for_year(2026)
    form = {
        "dispatch_quota": 4, "it_dispatch_quota": 6, "it_specialties": list(year.it_specialties.values_list("pk", flat=True)),
        "application_deadline": "2027-02-26", "time_window_minutes": 20, "honorarium_per_visit": 32000,
        "honorarium_per_hour": 0, "honorarium_max_hours": 4, "travel_rule": "actual", "travel_flat_amount": 0,
        "travel_cap": 10000, "phone_consultation_allowed": "on", "reminder_business_days": 2,
    }
    response = client.post(reverse("programme:year_edit", args=[2026]), form)
    assert response.status_code == 302
    year.refresh_from_db()
    assert (year.dispatch_quota, year.phone_consultation_allowed, year.reminder_business_days) == (4, True, 2)
    event = AuditEvent.objects.get(action="programme.updated")
    assert event.changes["dispatch_quota"] == [3, 4] and event.actor == secretariat


def test_a_deadline_outside_the_year_is_refused_next_to_the_field(login, secretariat):
    year = programme_for_year(2026)
    response = login(secretariat).post(reverse("programme:year_edit", args=[2026]), {
        "dispatch_quota": 3, "it_dispatch_quota": 5, "application_deadline": "2027-06-30", "time_window_minutes": 20,
        "honorarium_per_visit": 30000, "honorarium_per_hour": 0, "honorarium_max_hours": 4, "travel_rule": "actual",
        "travel_flat_amount": 0, "travel_cap": 0, "reminder_business_days": 3,
    })
    assert "締切日はその年度内" in response.content.decode()
    year.refresh_from_db()
    assert year.application_deadline == datetime.date(2027, 2, 28)


def test_only_the_secretariat_sees_the_settings(login, client, chief, sme):
    assert client.get(reverse("programme:year_list")).status_code == 302
    assert login(chief).get(reverse("programme:year_list")).status_code == 404
    assert login(sme).get(reverse("programme:year_edit", args=[2026])).status_code == 404


def test_the_settings_list_shows_the_rules(login, admin_user):
    page = login(admin_user).get(reverse("programme:year_list")).content.decode()
    assert "3回（IT分野を含め5回）" in page and "IT・Web活用" in page
