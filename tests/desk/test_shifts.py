"""Consultants sign up for shifts in the coming weeks; overlaps and hours outside the desk's are refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.roles import Role
from desk import actions
from desk.models import Shift
from directory.models import Organisation
from tests import factories
from tests.desk.builders import at, business_day, desk_settings

pytestmark = pytest.mark.django_db

T = datetime.time


def test_a_consultant_signs_up_for_a_morning(world):
    day = business_day(3)
    (shift,) = world.shift(world.consultant_a, day, (9, 30), (12, 30))
    assert (shift.starts_at, shift.ends_at) == (at(day, 9, 30), at(day, 12, 30))


def test_a_shift_overlapping_the_consultants_other_shift_is_refused_and_nothing_saved(world):
    day = business_day(3)
    world.shift(world.consultant_a, day, (9, 30), (12, 30))
    with pytest.raises(actions.Refused) as refused:
        world.shift(world.consultant_a, day, (11, 30), (14, 30))
    assert "登録済みのシフト" in str(refused.value) and "重なっています" in str(refused.value)
    assert Shift.objects.filter(consultant=world.consultant_a).count() == 1


def test_a_shift_at_another_desk_at_the_same_time_is_an_overlap_too(world):
    day = business_day(3)
    other_org = factories.OrganisationFactory(name="神奈川県商工会連合会", kind=Organisation.Kind.SHOKOKAI_FED)
    other_chief = factories.grant(factories.UserFactory(), Role.CHIEF, organisation=other_org)
    other = actions.open_desk(other_chief, other_org, desk_settings())
    factories.grant(world.consultant_a, Role.DESK, organisation=other_org)
    world.shift(world.consultant_a, day, (9, 30), (12, 30))
    with pytest.raises(actions.Refused) as refused:
        actions.sign_up(world.consultant_a, other.pk, day, T(10, 30), T(11, 30))
    assert "東京都商工会連合会" in str(refused.value)


def test_another_consultant_may_take_the_same_hours(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    world.shift(world.consultant_b, day)
    assert Shift.objects.filter(starts_at=at(day, 9, 30)).count() == 2


def test_a_shift_outside_opening_hours_is_refused(world):
    with pytest.raises(actions.Refused) as refused:
        world.shift(world.consultant_a, business_day(3), (8, 30), (10, 30))
    assert "受付時間（09:30〜15:30）の中で" in str(refused.value)


def test_a_shift_ending_before_it_starts_is_refused(world):
    with pytest.raises(actions.Refused) as refused:
        world.shift(world.consultant_a, business_day(3), (12, 30), (10, 30))
    assert "終了時刻は、開始時刻より後" in str(refused.value)


def test_a_shift_on_a_public_holiday_is_refused(world):
    with pytest.raises(actions.Refused) as refused:
        actions.sign_up(world.consultant_a, world.desk.pk, datetime.date(2027, 1, 11), T(9, 30), T(12, 30),
                        now=at(datetime.date(2027, 1, 4), 9))
    assert "成人の日" in str(refused.value)


def test_repeating_weekly_skips_the_holidays_and_keeps_the_rest(world):
    # Mondays from 4 January 2027: 11 January is 成人の日
    first = datetime.date(2027, 1, 4)
    shifts, skipped = actions.sign_up(world.consultant_a, world.desk.pk, first, T(9, 30), T(12, 30), weeks=4,
                                      now=at(datetime.date(2026, 12, 28), 9))
    assert [timezone_date(s.starts_at) for s in shifts] == [first, datetime.date(2027, 1, 18), datetime.date(2027, 1, 25)]
    assert skipped == [(datetime.date(2027, 1, 11), "祝日（成人の日）")]


def timezone_date(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date()


def test_someone_without_the_consultant_role_cannot_sign_up(world):
    with pytest.raises(PermissionDenied):
        world.shift(world.adviser, business_day(3))


def test_a_consultant_withdraws_a_shift_without_bookings(world):
    (shift,) = world.shift(world.consultant_a, business_day(3))
    actions.withdraw_shift(world.consultant_a, shift.pk)
    assert not Shift.objects.exists()


def test_a_shift_with_a_booking_cannot_be_withdrawn(world):
    day = business_day(3)
    (shift,) = world.shift(world.consultant_a, day)
    world.book(at(day, 10, 30))
    with pytest.raises(actions.Refused) as refused:
        actions.withdraw_shift(world.consultant_a, shift.pk)
    assert "予約が1件入っているため" in str(refused.value)
    assert Shift.objects.filter(pk=shift.pk).exists()


def test_signing_up_through_the_roster_page_shows_the_refusal_in_japanese(login, world):
    day = business_day(3)
    world.shift(world.consultant_a, day, (9, 30), (12, 30))
    client = login(world.consultant_a)
    response = client.post(reverse("desk:shift_add", args=[world.desk.pk]),
                           {"day": day.isoformat(), "start": "10:30", "end": "13:30", "weeks": "1"}, follow=True)
    assert "重なっています" in response.content.decode()
    assert Shift.objects.count() == 1


def test_another_consultant_cannot_withdraw_my_shift(login, world):
    (shift,) = world.shift(world.consultant_a, business_day(3))
    response = login(world.consultant_b).post(reverse("desk:shift_withdraw", args=[shift.pk]))
    assert response.status_code == 404
    assert Shift.objects.filter(pk=shift.pk).exists()
