"""Cases visited but not payable, with who is holding each one up (seed 003: late evidence delays pay)."""

import pytest
from django.urls import reverse

from dispatch.models import State

pytestmark = pytest.mark.django_db


def test_a_case_waiting_for_the_smes_certification_is_listed_with_the_sme_blocking(login, world):
    case = world.verified(days_ago=5, state=State.REPORTED)
    page = login(world.secretariat).get(reverse("payments:waiting")).content.decode()
    assert reverse("dispatch:detail", args=[case.pk]) in page
    assert "従事証明と専門家の評価の入力" in page and "支援状況の写真の提出" in page


def test_a_case_waiting_for_the_experts_report_is_under_the_expert_tab_not_only_the_smes(login, world):
    case = world.verified(days_ago=5, state=State.DONE, report_hours=None)
    client = login(world.secretariat)
    page = client.get(reverse("payments:waiting"), {"who": "expert"}).content.decode()
    assert reverse("dispatch:detail", args=[case.pk]) in page and "支援報告書の提出" in page


def test_a_verified_case_is_not_waiting(login, world):
    case = world.verified(days_ago=5)
    page = login(world.secretariat).get(reverse("payments:waiting"), {"who": "all"}).content.decode()
    assert reverse("dispatch:detail", args=[case.pk]) not in page


def test_the_waiting_list_issues_a_fixed_number_of_queries(login, world, django_assert_max_num_queries):
    for days in range(3, 9):
        world.verified(days_ago=days, state=State.REPORTED, company=world.new_company())
    client = login(world.secretariat)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("payments:waiting"), {"who": "all"}).status_code == 200
