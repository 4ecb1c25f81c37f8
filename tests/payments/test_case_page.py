"""Payment facts on the dispatch case page: for the expert and the secretariat, not the SME."""

import pytest
from django.urls import reverse

from payments import anomalies

pytestmark = pytest.mark.django_db


def test_the_expert_sees_the_honorarium_and_travel_beside_the_claim(login, world):
    case = world.verified(days_ago=5)
    page = login(world.expert.user).get(reverse("dispatch:detail", args=[case.pk])).content.decode()
    assert "謝金・旅費の支払" in page and "30,000円" in page and "1,320円（請求 1,320円）" in page


def test_the_sme_does_not_see_the_experts_pay(login, world):
    case = world.verified(days_ago=5)
    page = login(world.sme).get(reverse("dispatch:detail", args=[case.pk])).content.decode()
    assert "謝金・旅費の支払" not in page


def test_the_secretariat_sees_the_flags_and_can_record_a_decision(login, world):
    case = world.verified(days_ago=10, hour=10)
    world.verified(days_ago=10, hour=11, company=world.new_company())
    anomalies.scan([case.pk])
    page = login(world.secretariat).get(reverse("dispatch:detail", args=[case.pk])).content.decode()
    assert "支援時間が重なっています" in page and "確認結果を記録する" in page
