"""An organisation's chief (or an administrator) opens and configures a desk; bad settings are refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from desk import actions
from desk.models import Desk, OpeningHours
from directory.models import Organisation
from reference.models import Specialty
from tests import factories
from tests.desk.builders import MEETING, desk_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation():
    return factories.OrganisationFactory(name="千葉県商工会連合会", kind=Organisation.Kind.SHOKOKAI_FED)


@pytest.fixture
def fed_chief(federation):
    return factories.grant(factories.UserFactory(name="岡崎 統括"), Role.CHIEF, organisation=federation)


def test_a_new_desk_opens_weekdays_9_30_to_15_30_with_two_consultants_minimum(fed_chief, federation):
    desk = actions.open_desk(fed_chief, federation, {"phone": "043-305-1234"})
    hours = list(desk.hours.values_list("weekday", "opens_at", "closes_at"))
    assert hours == [(d, datetime.time(9, 30), datetime.time(15, 30)) for d in range(5)]
    assert desk.min_consultants == 2
    assert AuditEvent.objects.filter(action="desk.opened", object_id=str(desk.pk)).exists()


def test_a_coordinator_cannot_open_a_desk_for_the_organisation(federation):
    coordinator = factories.grant(factories.UserFactory(), Role.COORDINATOR, organisation=federation)
    with pytest.raises(PermissionDenied):
        actions.open_desk(coordinator, federation, {"phone": "043-305-1234"})


def test_a_chief_cannot_open_a_desk_for_another_organisation(fed_chief):
    other = factories.OrganisationFactory()
    with pytest.raises(PermissionDenied):
        actions.open_desk(fed_chief, other, {"phone": "03-1234-5678"})


def test_an_administrator_opens_a_desk_for_any_organisation(admin_user, federation):
    desk = actions.open_desk(admin_user, federation, desk_settings())
    assert desk.organisation == federation


def test_a_meeting_link_without_the_room_placeholder_is_refused_and_nothing_saved(fed_chief, federation):
    with pytest.raises(actions.Refused) as refused:
        actions.open_desk(fed_chief, federation, desk_settings(meeting_url_template="https://meet.jit.si/yorozu"))
    assert "{room}" in str(refused.value)
    assert not Desk.objects.exists()


@pytest.mark.parametrize("template, message", [
    ("http://meet.jit.si/yorozu-{room}", "https://"),
    ("https://meet.jit.si/{org}-{room}", "{room} だけ"),
    ("not a url {room}", "https://"),
])
def test_unusable_meeting_link_templates_are_refused(fed_chief, federation, template, message):
    with pytest.raises(actions.Refused) as refused:
        actions.open_desk(fed_chief, federation, desk_settings(meeting_url_template=template))
    assert message in str(refused.value)


def test_a_desk_needs_a_phone_number_or_a_meeting_link(fed_chief, federation):
    with pytest.raises(actions.Refused) as refused:
        actions.open_desk(fed_chief, federation, desk_settings(phone="", meeting_url_template=""))
    assert "電話番号かWeb会議URL" in str(refused.value)


def test_each_booking_gets_its_own_room_in_the_meeting_link(world):
    desk = world.desk
    assert desk.meeting_url("abc123") == MEETING.replace("{room}", "abc123")


def test_weekday_themes_and_hours_are_saved_from_the_settings_page(login, world):
    client = login(world.chief)
    theme = Specialty.objects.get(name="資金繰り・財務")
    data = {**desk_settings(), "allow_fixed_consultant": "on", "closed_year_end": "on", "is_active": "on"}
    for day in range(5):
        data.update({f"open_{day}": "on", f"opens_{day}": "09:30", f"closes_{day}": "15:30"})
    data["theme_0"] = theme.pk
    data["closes_4"] = "12:30"
    response = client.post(reverse("desk:settings", args=[world.desk.pk]), data)
    assert response.status_code == 302
    monday = OpeningHours.objects.get(desk=world.desk, weekday=0)
    friday = OpeningHours.objects.get(desk=world.desk, weekday=4)
    assert monday.theme == theme and friday.closes_at == datetime.time(12, 30)
    world.desk.refresh_from_db()
    assert world.desk.allow_fixed_consultant


def test_the_settings_page_refuses_a_link_template_without_placeholder_in_japanese(login, world):
    client = login(world.chief)
    data = {**desk_settings(meeting_url_template="https://zoom.us/j/123456"), "is_active": "on"}
    for day in range(5):
        data.update({f"open_{day}": "on", f"opens_{day}": "09:30", f"closes_{day}": "15:30"})
    response = client.post(reverse("desk:settings", args=[world.desk.pk]), data)
    assert response.status_code == 200
    assert "予約ごとの会議室を表す {room} を入れてください" in response.content.decode()
    world.desk.refresh_from_db()
    assert world.desk.meeting_url_template == MEETING


def test_opening_hours_shorter_than_a_slot_are_refused(world):
    hours = [(0, datetime.time(9, 30), datetime.time(10, 0), None)]
    with pytest.raises(actions.Refused) as refused:
        actions.update_desk(world.chief, world.desk.pk, desk_settings(), hours)
    assert "1枠（60分）より短く" in str(refused.value)
    assert world.desk.hours.count() == 5


def test_a_consultant_cannot_change_the_settings_page(login, world):
    response = login(world.consultant_a).get(reverse("desk:settings", args=[world.desk.pk]))
    assert response.status_code == 404


def test_the_chief_lists_a_closure_day_and_the_desk_is_closed_then(world):
    from desk.rules import DeskCalendar
    from tests.desk.builders import business_day

    day = business_day(5)
    actions.add_closure(world.chief, world.desk.pk, day, "職員研修のため")
    assert DeskCalendar(world.desk, day, day).closed_reason(day) == "臨時休業（職員研修のため）"


def test_a_day_with_bookings_cannot_be_closed(world):
    from tests.desk.builders import at, business_day

    day = business_day(3)
    world.staff_day(day)
    world.book(at(day, 10, 30))
    with pytest.raises(actions.Refused) as refused:
        actions.add_closure(world.chief, world.desk.pk, day, "研修")
    assert "予約が1件入っています" in str(refused.value)
    assert not world.desk.closures.exists()
