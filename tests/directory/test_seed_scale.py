"""seed_scale: realistic, reproducible synthetic data with a working search index."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from companies.models import Company
from core.validators import validate_corporate_number
from directory import search
from directory.models import ExpertProfile, ExpertSearchDoc, ExpertStats, Organisation


def seed(seed=7):
    call_command("seed_scale", companies=60, experts=40, organisations=50, seed=seed, stdout=open("/dev/null", "w"))


def snapshot():
    experts = list(ExpertProfile.objects.order_by("pk").values_list("display_name", "bio", "status", "base_prefecture"))
    companies = list(Company.objects.order_by("pk").values_list("name", "corporate_number", "prefecture", "employees"))
    return experts, companies


def test_it_creates_the_requested_numbers_with_index_and_stats(db):
    seed()
    assert Company.objects.count() == 60
    assert ExpertProfile.objects.count() == 40
    assert Organisation.objects.count() == 50
    assert ExpertSearchDoc.objects.count() == 40 and ExpertStats.objects.count() == 40
    assert Organisation.objects.filter(kind="yorozu").count() == 47  # one centre per prefecture first


def test_every_corporate_number_has_a_valid_check_digit(db):
    seed()
    numbers = list(Company.objects.exclude(corporate_number="").values_list("corporate_number", flat=True))
    assert numbers
    for number in numbers:
        validate_corporate_number(number)
    assert len(set(numbers)) == len(numbers)


def test_seeded_experts_are_found_by_the_search(db):
    seed()
    approved = ExpertProfile.objects.filter(status="approved").first()
    surname = approved.display_name.split()[0]
    by_name = search.search_experts(name=surname)
    by_bio = search.search_experts(q=approved.headline)
    assert approved in list(by_name.experts)
    assert approved in list(by_bio.experts)


def test_synthetic_people_cannot_log_in(db):
    seed()
    assert not any(u.has_usable_password() for u in User.objects.filter(email__startswith="seed7-"))


def test_same_seed_gives_the_same_data(db):
    seed(7)
    first = snapshot()
    ExpertProfile.objects.all().delete()
    Company.objects.all().delete()
    User.objects.filter(email__startswith="seed7-").delete()
    Organisation.objects.all().delete()
    seed(7)
    assert snapshot() == first


def test_running_twice_with_one_seed_is_refused_with_a_message(db):
    seed(7)
    with pytest.raises(CommandError, match="投入済み"):
        seed(7)
