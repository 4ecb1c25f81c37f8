"""The year's plan: HQ's policy, the chief's plan and targets, the bureau's start-of-year interview, then locked."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import actions
from governance.models import CentrePlan
from notifications.models import Outbox
from reference.models import Specialty
from tests.governance.builders import LAST_YEAR

FY = LAST_YEAR + 1


def mailed(template, email):
    return any(email in m.to for m in Outbox.objects.filter(template=template))  # the current fiscal year
PLAN = {
    "needs_analysis": "製造業の事業承継と、飲食・小売のデジタル化の相談が増えている。",
    "plan_text": "商工会・金融機関との連携で、事業承継とDXを重点的に支援する。",
    "target_consultations": "1200", "target_visitors": "500", "target_solved": "300", "target_network": "60",
}


@pytest.fixture
def published(gov):
    actions.save_policy(gov.hq, FY, "令和の活動方針", "成果につながる支援を全国で最高水準に。", publish=True)
    return gov


def submitted_plan(gov):
    plan = actions.save_plan(gov.chief, gov.centre, FY, {k: (int(v) if k.startswith("target") else v) for k, v in PLAN.items()})
    actions.add_focus_area(gov.chief, plan.pk, "事業承継", list(Specialty.objects.filter(name="事業承継")), 80)
    return actions.submit_plan(gov.chief, plan.pk)


def test_publishing_the_policy_mails_every_centre_chief(published):
    assert mailed("governance_policy_published", published.chief.email)


def test_chief_writes_the_plan_and_targets_in_the_browser(client, login, published):
    login(published.chief)
    url = reverse("governance:plan", args=[published.centre.pk, FY])
    response = client.post(url, PLAN)
    assert response.status_code == 302
    plan = CentrePlan.objects.get(organisation=published.centre, fiscal_year=FY)
    assert plan.targets() == {"consultations": 1200, "visitors": 500, "solved": 300, "network": 60}
    assert plan.status == CentrePlan.Status.DRAFT


def test_plan_cannot_be_submitted_before_the_policy_is_published(gov):
    plan = actions.save_plan(gov.chief, gov.centre, FY, {k: (int(v) if k.startswith("target") else v) for k, v in PLAN.items()})
    with pytest.raises(actions.Refused) as error:
        actions.submit_plan(gov.chief, plan.pk)
    assert "活動方針がまだ公表されていません" in str(error.value)
    assert "重点分野を1つ以上設定してください" in str(error.value)


def test_submitting_mails_the_bureau(published):
    submitted_plan(published)
    assert mailed("governance_plan_submitted", published.bureau.email)


def test_bureau_records_the_interview_and_the_plan_is_locked(client, login, published):
    plan = submitted_plan(published)
    login(published.bureau)
    response = client.post(reverse("governance:plan_confirm", args=[published.centre.pk, FY]), {
        "interview_on": timezone.localdate().isoformat(), "interview_notes": "重点分野の目標を確認した。"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == CentrePlan.Status.CONFIRMED and plan.confirmed_by == published.bureau
    assert mailed("governance_plan_confirmed", published.chief.email)


def test_a_confirmed_plan_refuses_every_edit(published):
    plan = submitted_plan(published)
    actions.confirm_plan(published.bureau, plan.pk, timezone.localdate(), "確認済み")
    changed = {k: (int(v) if k.startswith("target") else v) for k, v in PLAN.items()} | {"target_consultations": 10}
    with pytest.raises(actions.Refused, match="確定しているため、変更できません"):
        actions.save_plan(published.chief, published.centre, FY, changed)
    with pytest.raises(actions.Refused, match="確定しているため"):
        actions.add_focus_area(published.chief, plan.pk, "創業", list(Specialty.objects.filter(name="創業")), 10)
    with pytest.raises(actions.Refused, match="確定しているため"):
        actions.remove_focus_area(published.chief, plan.focus_areas.get().pk)
    plan.refresh_from_db()
    assert plan.target_consultations == 1200 and plan.focus_areas.count() == 1


def test_posting_to_a_confirmed_plan_shows_the_refusal_and_changes_nothing(client, login, published):
    plan = submitted_plan(published)
    actions.confirm_plan(published.bureau, plan.pk, timezone.localdate(), "確認済み")
    login(published.chief)
    url = reverse("governance:plan", args=[published.centre.pk, FY])
    page = client.post(url, PLAN | {"target_consultations": "1"}, follow=True)
    assert "確定しているため、変更できません" in page.content.decode()
    plan.refresh_from_db()
    assert plan.target_consultations == 1200


def test_bureau_returns_a_plan_with_a_reason(published):
    plan = submitted_plan(published)
    actions.return_plan(published.bureau, plan.pk, "来訪相談者数の目標の根拠を示してください。")
    plan.refresh_from_db()
    assert plan.status == CentrePlan.Status.DRAFT and "根拠" in plan.returned_reason
    assert Outbox.objects.filter(template="governance_plan_returned").exists()


def test_another_regions_bureau_cannot_confirm(published):
    from accounts.roles import Role
    from reference.models import Bureau
    from tests import factories

    plan = submitted_plan(published)
    kinki = factories.grant(factories.UserFactory(), Role.BUREAU, bureau=Bureau.objects.get(code="kinki"))
    with pytest.raises(actions.Refused):
        actions.confirm_plan(kinki, plan.pk, timezone.localdate(), "確認")


def test_a_coordinator_cannot_write_the_plan(published):
    with pytest.raises(actions.Refused):
        actions.save_plan(published.staff, published.centre, FY, {k: (int(v) if k.startswith("target") else v) for k, v in PLAN.items()})


def test_interview_date_in_the_future_is_refused(published):
    plan = submitted_plan(published)
    with pytest.raises(actions.Refused, match="未来の日付"):
        actions.confirm_plan(published.bureau, plan.pk, timezone.localdate() + datetime.timedelta(days=3), "確認")


def test_get_on_plan_actions_is_405(client, login, published):
    submitted_plan(published)
    login(published.bureau)
    for name in ("plan_submit", "plan_confirm", "plan_return", "focus_add"):
        assert client.get(reverse(f"governance:{name}", args=[published.centre.pk, FY])).status_code == 405
