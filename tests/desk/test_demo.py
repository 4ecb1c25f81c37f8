import pytest
from django.core.management import call_command

from consultations.models import Consultation
from desk.demo import load_demo_desk
from desk.models import Booking, Desk, Shift

pytestmark = pytest.mark.django_db


def test_the_demo_desk_has_shifts_bookings_a_walk_in_and_records_and_loads_twice(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--quiet")
    load_demo_desk()  # a no-op when load_demo already calls it
    desk = Desk.objects.get(organisation__name="東京都商工会連合会")
    assert Shift.objects.filter(desk=desk).count() > 20
    kinds = set(Booking.objects.filter(desk=desk).values_list("kind", "status"))
    assert {("booked", "booked"), ("booked", "done"), ("booked", "cancelled"), ("walk_in", "done")} <= kinds
    assert Booking.objects.filter(desk=desk, by_adviser=True).exists()
    assert Consultation.objects.filter(organisation=desk.organisation, channel__in=["phone", "web"]).count() >= 2
    count = Booking.objects.count()
    assert load_demo_desk() is None
    assert Booking.objects.count() == count and Desk.objects.count() == 1
