"""次に対応が必要な人: after the visit the case page names who holds the case up, dispute included."""

import pytest
from django.urls import reverse

from reports import actions
from tests.reports.builders import reported
from tests.reports.conftest import world  # noqa: F401  (the reports world: a case ready to report)

pytestmark = pytest.mark.django_db


def next_actor(login, user, case):
    page = login(user).get(reverse("dispatch:detail", args=[case.pk])).content.decode()
    return page


def test_a_reported_case_waits_for_the_sme_certification(login, world):  # noqa: F811
    case = reported(world)
    assert "従事証明と専門家の評価の入力" in next_actor(login, world.staff, case)


def test_a_disputed_report_waits_for_the_expert_to_correct_it(login, world):  # noqa: F811
    case = reported(world)
    actions.dispute(world.sme, case.pk, "支援は13時からでした。")
    page = next_actor(login, world.staff, case)
    assert "異議を受けた支援報告書の修正" in page
    assert "従事証明と専門家の評価の入力" not in page
