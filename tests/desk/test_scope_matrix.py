"""Who may open which desk page, in one table: outside the scope is a 404, anonymous goes to login."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from directory.models import Organisation
from tests import factories
from tests.desk.builders import held_session

pytestmark = pytest.mark.django_db

PAGES = ["roster", "settings", "reports", "walk_in", "booking", "record"]

# persona:          roster, settings, reports, walk_in, booking, record
MATRIX = {
    "anonymous":       (302, 302, 302, 302, 302, 302),
    "sme":             (404, 404, 404, 404, 200, 404),
    "other_sme":       (404, 404, 404, 404, 404, 404),
    "adviser":         (404, 404, 404, 404, 200, 404),
    "other_adviser":   (404, 404, 404, 404, 404, 404),
    "consultant_a":    (200, 404, 404, 200, 200, 200),
    "consultant_b":    (200, 404, 404, 200, 404, 404),
    "chief":           (200, 200, 200, 200, 200, 200),
    "fed_coordinator": (200, 404, 200, 200, 200, 200),
    "other_chief":     (404, 404, 404, 404, 404, 404),
    "admin":           (200, 200, 200, 404, 200, 404),
}


@pytest.fixture
def people(world):
    other_shokokai = factories.OrganisationFactory(name="瑞穂町商工会", kind=Organisation.Kind.SHOKOKAI)
    _, other_sme = factories.company_with_member()
    staff = factories.UserFactory
    return {
        "anonymous": None, "sme": world.sme, "other_sme": other_sme, "adviser": world.adviser,
        "other_adviser": factories.grant(staff(), Role.COORDINATOR, organisation=other_shokokai),
        "consultant_a": world.consultant_a, "consultant_b": world.consultant_b, "chief": world.chief,
        "fed_coordinator": factories.grant(staff(), Role.COORDINATOR, organisation=world.federation),
        "other_chief": factories.grant(staff(), Role.CHIEF, organisation=factories.OrganisationFactory()),
        "admin": factories.grant(staff(), Role.ADMIN),
    }


@pytest.mark.parametrize("persona", MATRIX)
def test_desk_scope_matrix(client, login, world, people, persona):
    # given a held session of the member company, booked by its 経営指導員, taken by consultant A
    booking = held_session(world, actor=world.adviser)
    user = people[persona]
    if user is not None:
        login(user)
    urls = {
        "roster": reverse("desk:roster", args=[world.desk.pk]),
        "settings": reverse("desk:settings", args=[world.desk.pk]),
        "reports": reverse("desk:reports", args=[world.desk.pk]),
        "walk_in": reverse("desk:walk_in", args=[world.desk.pk]),
        "booking": reverse("desk:booking", args=[booking.pk]),
        "record": reverse("desk:record", args=[booking.pk]),
    }
    # when every page is requested
    got = {page: client.get(urls[page]).status_code for page in PAGES}
    # then each answer is the one in the table
    assert got == dict(zip(PAGES, MATRIX[persona]))
