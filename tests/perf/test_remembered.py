"""Reference lists and the programme year are kept in memory until they change (core.cache.remembered):
an edit shows on the next request, on every app server (the generation lives in the shared cache)."""

import pytest
from django.urls import reverse

from core import cache
from core.dates import fiscal_year
from dispatch.models import State
from programme.models import ProgrammeYear
from reference.models import Specialty
from tests.dispatch.builders import World

pytestmark = pytest.mark.django_db


def test_a_remembered_value_is_built_once_until_its_data_changes(organisation):
    builds = []

    def build():
        builds.append(1)
        return len(builds)

    assert cache.remembered("test-value", build) == 1
    assert cache.remembered("test-value", build) == 1
    specialty = Specialty.objects.first()
    specialty.save()
    assert cache.remembered("test-value", build) == 2


def test_a_lost_generation_starts_above_every_earlier_one():
    first = cache.generation("reference")
    cache.bump("reference")
    assert cache.generation("reference") == first + 1
    from django.core.cache import cache as django_cache

    django_cache.delete("cachegen:reference")  # evicted, or the cache server restarted
    assert cache.generation("reference") > first + 1


def test_the_wallet_shows_the_it_specialties_after_the_secretariat_changes_them(login):
    world = World()
    world.case_in(State.APPLIED)
    client = login(world.sme)
    assert "IT・Web活用" in client.get(reverse("dispatch:wallet")).content.decode()
    programme = ProgrammeYear.objects.get(fiscal_year=fiscal_year())
    programme.it_specialties.add(Specialty.objects.get(name="知的財産"))
    assert "知的財産" in client.get(reverse("dispatch:wallet")).content.decode()


def test_the_list_follows_a_changed_reminder_period(login):
    world = World()
    world.case_in(State.APPLIED)
    client = login(world.staff)
    assert "3営業日以上止まっている案件" in client.get(reverse("dispatch:list")).content.decode()
    programme = ProgrammeYear.objects.get(fiscal_year=fiscal_year())
    programme.reminder_business_days = 9
    programme.save(update_fields=["reminder_business_days"])
    assert "9営業日以上止まっている案件" in client.get(reverse("dispatch:list")).content.decode()
