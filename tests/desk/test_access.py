"""Who may open which desk page: anonymous → login, outsiders → 404, POST-only views refuse GET."""

import pytest
from django.urls import reverse

from desk.models import ShokokaiMember
from tests import factories
from tests.desk.builders import at, business_day

pytestmark = pytest.mark.django_db

POST_ONLY = [
    ("desk:closure_add", "desk"), ("desk:shift_add", "desk"), ("desk:cancel", "booking"),
    ("desk:no_show", "booking"), ("desk:member_remove", "member"),
]


@pytest.fixture
def booking(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    return world.book(at(day, 10, 30))


def _args(kind, world, booking):
    return [{"desk": world.desk.pk, "booking": booking.pk,
             "member": ShokokaiMember.objects.values_list("pk", flat=True).first()}[kind]]


def test_the_desk_list_and_page_are_public(client, world):
    assert "東京都商工会連合会" in client.get(reverse("desk:index")).content.decode()
    assert client.get(reverse("desk:detail", args=[world.desk.pk])).status_code == 200


@pytest.mark.parametrize("name, kind", [
    ("desk:roster", "desk"), ("desk:slots", "desk"), ("desk:book", "desk"), ("desk:settings", "desk"),
    ("desk:reports", "desk"), ("desk:walk_in", "desk"), ("desk:booking", "booking"), ("desk:record", "booking"),
    ("desk:reschedule", "booking"), ("desk:ics", "booking"),
])
def test_anonymous_visitors_are_sent_to_login(client, world, booking, name, kind):
    response = client.get(reverse(name, args=_args(kind, world, booking)))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_visitors_are_sent_to_login_from_the_lists(client, world):
    for name in ("desk:bookings", "desk:members", "desk:open"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name, kind", POST_ONLY)
def test_post_only_views_refuse_get(login, world, booking, name, kind):
    assert login(world.chief).get(reverse(name, args=_args(kind, world, booking))).status_code == 405


@pytest.mark.parametrize("name, kind", [
    ("desk:roster", "desk"), ("desk:settings", "desk"), ("desk:reports", "desk"), ("desk:walk_in", "desk"),
    ("desk:booking", "booking"), ("desk:record", "booking"), ("desk:reschedule", "booking"), ("desk:ics", "booking"),
])
def test_an_outsider_gets_404(login, world, booking, name, kind):
    _, outsider = factories.company_with_member()
    assert login(outsider).get(reverse(name, args=_args(kind, world, booking))).status_code == 404


def test_forged_ids_are_404(login, world):
    client = login(world.chief)
    assert client.get(reverse("desk:booking", args=[999999])).status_code == 404
    assert client.get(reverse("desk:roster", args=[999999])).status_code == 404
    assert client.post(reverse("desk:closure_delete", args=[999999])).status_code == 404


def test_the_consultant_sees_the_booking_assigned_to_them_and_not_others(login, world, booking):
    assert login(world.consultant_a).get(reverse("desk:booking", args=[booking.pk])).status_code == 200
    assert login(world.consultant_b).get(reverse("desk:booking", args=[booking.pk])).status_code == 404


def test_the_adviser_sees_the_bookings_of_the_shokokai(login, world, booking):
    response = login(world.adviser).get(reverse("desk:bookings"))
    assert "株式会社ぱそな建設" in response.content.decode()


def test_an_adviser_of_another_shokokai_does_not(login, world, booking):
    other = factories.OrganisationFactory(name="瑞穂町商工会", kind="shokokai")
    adviser = factories.grant(factories.UserFactory(), "coordinator", organisation=other)
    assert "株式会社ぱそな建設" not in login(adviser).get(reverse("desk:bookings")).content.decode()
    assert login(adviser).get(reverse("desk:booking", args=[booking.pk])).status_code == 404


def test_an_adviser_registers_a_member_company_by_its_number(login, world):
    company, _ = factories.company_with_member(name="有限会社府中青果")
    response = login(world.adviser).post(reverse("desk:members"), {
        "organisation": world.shokokai.pk, "company_ref": str(company.pk)}, follow=True)
    assert "会員事業者として登録しました" in response.content.decode()
    assert ShokokaiMember.objects.filter(organisation=world.shokokai, company=company).exists()


def test_an_unknown_company_number_is_refused_in_japanese(login, world):
    response = login(world.adviser).post(reverse("desk:members"), {
        "organisation": world.shokokai.pk, "company_ref": "9999999"})
    assert "該当する事業者が見つかりません" in response.content.decode()


def test_an_sme_has_no_member_page(login, world):
    assert login(world.sme).get(reverse("desk:members")).status_code == 404


def test_the_adviser_books_from_the_booking_page_for_a_member(login, world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    client = login(world.adviser)
    url = reverse("desk:book", args=[world.desk.pk]) + f"?start={day.isoformat()}T10:30"
    page = client.get(url).content.decode()
    assert "株式会社ぱそな建設" in page and "会員になっている商工会" not in page
    client.post(url, {"company": world.company.pk, "channel": "phone", "description": "資金繰り",
                      "source": "shokokai"})
    from desk.models import Booking

    booking = Booking.objects.get()
    assert booking.by_adviser and booking.shokokai == world.shokokai


def test_a_chief_without_a_desk_may_open_one(login, world):
    from accounts.roles import Role
    from directory.models import Organisation

    org = factories.OrganisationFactory(name="埼玉県商工会連合会", kind=Organisation.Kind.SHOKOKAI_FED)
    chief = factories.grant(factories.UserFactory(), Role.CHIEF, organisation=org)
    assert login(chief).get(reverse("desk:open")).status_code == 200
    assert login(world.chief).get(reverse("desk:open")).status_code == 404  # already has one
