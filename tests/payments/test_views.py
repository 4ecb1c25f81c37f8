"""The secretariat's payment pages: access, the batch built in the browser way, query counts."""

import datetime

import pytest
from django.urls import reverse

from core.dates import add_business_days
from dispatch.models import State
from payments import actions, anomalies
from payments.models import AnomalyFlag, PaymentBatch
from tests import factories
from tests.payments.builders import paid_expert

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["payments:batch_list", "payments:batch_new", "payments:waiting", "payments:flag_list", "payments:settings"]
POST_VIEWS = ["payments:batch_export", "payments:batch_paid", "payments:batch_cancel"]


def period():
    today = datetime.date.today()
    return {"period_start": (today - datetime.timedelta(days=40)).isoformat(), "period_end": today.isoformat()}


def make_batch(world):
    return actions.create_batch(world.secretariat, datetime.date.today() - datetime.timedelta(days=40), datetime.date.today(),
                                add_business_days(datetime.date.today(), 2))


def test_anonymous_visitors_are_sent_to_login(client, world):
    for name in STAFF_PAGES + ["payments:mine"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_are_404_for_experts_and_coordinators(login, world, name):
    assert login(world.expert.user).get(reverse(name)).status_code == 404
    assert login(world.staff).get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", POST_VIEWS)
def test_batch_actions_refuse_get(login, world, name):
    world.verified(days_ago=12)
    batch = make_batch(world)
    assert login(world.secretariat).get(reverse(name, args=[batch.pk])).status_code == 405


def test_an_expert_cannot_export_or_see_a_batch(login, world):
    world.verified(days_ago=12)
    batch = make_batch(world)
    client = login(world.expert.user)
    assert client.get(reverse("payments:batch_detail", args=[batch.pk])).status_code == 404
    assert client.post(reverse("payments:batch_export", args=[batch.pk])).status_code == 404
    assert PaymentBatch.objects.get(pk=batch.pk).export_count == 0


def test_the_secretariat_builds_a_batch_from_the_period_list_excluding_a_case(login, world):
    keep = world.verified(days_ago=12)
    leave = world.verified(days_ago=11, activities="別の内容の報告。資金繰り表の作り方を説明した。")
    client = login(world.secretariat)
    page = client.get(reverse("payments:batch_new"), period())
    assert page.status_code == 200 and f"#{keep.pk}" in page.content.decode()
    response = client.post(f"{reverse('payments:batch_new')}?{'&'.join(f'{k}={v}' for k, v in period().items())}", {
        "action": "create", **period(), "expected": 2, "exclude": [leave.pk],
        "transfer_date": add_business_days(datetime.date.today(), 2).isoformat(),
    })
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("payments:batch_detail", args=[batch.pk])
    assert batch.case_count == 1


def test_a_refused_batch_shows_the_reason_in_japanese(login, world):
    world.verified(days_ago=12)
    world.expert.bank_account.delete()
    client = login(world.secretariat)
    response = client.post(f"{reverse('payments:batch_new')}?{'&'.join(f'{k}={v}' for k, v in period().items())}", {
        "action": "create", **period(), "expected": 1,
        "transfer_date": add_business_days(datetime.date.today(), 2).isoformat(),
    }, follow=True)
    assert "振込先口座が登録されていません" in response.content.decode()
    assert not PaymentBatch.objects.exists()


def test_the_scan_button_flags_the_period_and_the_list_shows_why(login, world):
    world.verified(days_ago=10, hour=10)
    world.verified(days_ago=10, hour=11, company=world.new_company())
    client = login(world.secretariat)
    client.post(f"{reverse('payments:batch_new')}?{'&'.join(f'{k}={v}' for k, v in period().items())}", {"action": "scan"})
    page = client.get(reverse("payments:flag_list")).content.decode()
    assert "支援時間が重なっています" in page


def test_the_secretariat_clears_a_flag_from_the_list(login, world):
    case = world.verified(days_ago=10, hour=10)
    world.verified(days_ago=10, hour=11, company=world.new_company())
    anomalies.scan([case.pk])
    flag = AnomalyFlag.objects.filter(case=case, kind="overlap").get()
    response = login(world.secretariat).post(reverse("payments:flag_decide", args=[flag.pk]), {
        "decision": "cleared", "reason": "予定表の入力誤り。実際は翌日だったと確認。", "next": "https://evil.example/"})
    flag.refresh_from_db()
    assert flag.status == "cleared" and response["Location"] == reverse("payments:flag_list")


def test_the_download_is_the_transfer_file(login, world):
    world.verified(days_ago=12)
    batch = make_batch(world)
    response = login(world.secretariat).post(reverse("payments:batch_export", args=[batch.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="zengin-sogo-furikomi-')
    assert response.content.startswith(b"1210") and len(response.content) == 4 * 122  # header, one transfer, trailer, end


def test_marking_paid_in_the_browser_way_returns_at_once_and_shows_the_progress(login, world):
    case = world.verified(days_ago=12)
    batch = make_batch(world)
    client = login(world.secretariat)
    client.post(reverse("payments:batch_export", args=[batch.pk]))
    page = client.post(reverse("payments:batch_paid", args=[batch.pk]), follow=True).content.decode()
    case.refresh_from_db()
    assert case.state == State.VERIFIED  # the task does the work, not the request
    assert "支払済みにする処理を始めました" in page and "派遣1件のうち0件を支払済みにしました" in page
    assert PaymentBatch.objects.get(pk=batch.pk).state == PaymentBatch.State.PAYING


def test_the_progress_box_polls_and_the_page_reloads_when_the_batch_is_paid(login, world):
    world.verified(days_ago=12)
    batch = make_batch(world)
    client = login(world.secretariat)
    client.post(reverse("payments:batch_export", args=[batch.pk]))
    client.post(reverse("payments:batch_paid", args=[batch.pk]))
    url = reverse("payments:batch_detail", args=[batch.pk]) + "?part=paying"
    box = client.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 3s"' in box.content.decode() and "<h1>" not in box.content.decode()
    actions.pay_all(batch.pk)
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    page = client.get(reverse("payments:batch_detail", args=[batch.pk])).content.decode()
    assert '<span class="badge badge-paid">支払済み</span>' in page and 'id="paying"' not in page


def test_the_batch_page_does_not_issue_more_queries_for_more_experts(login, world, django_assert_max_num_queries):
    for index in range(6):
        expert = paid_expert(holder=f"センモン　{'イロハニホヘ'[index]}")
        world.verified(days_ago=12, expert=expert, company=world.new_company())
    batch = make_batch(world)
    client = login(world.secretariat)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("payments:batch_detail", args=[batch.pk])).status_code == 200


def test_the_period_list_does_not_issue_more_queries_for_more_cases(login, world, django_assert_max_num_queries):
    for index in range(6):
        expert = paid_expert(holder=f"センモン　{'イロハニホヘ'[index]}")
        world.verified(days_ago=12, expert=expert, company=world.new_company())
    client = login(world.secretariat)
    with django_assert_max_num_queries(18):
        assert client.get(reverse("payments:batch_new"), period()).status_code == 200


def test_settings_are_saved_for_the_year(login, world):
    from payments.models import PaymentSettings

    client = login(world.secretariat)
    client.post(f"{reverse('payments:settings')}?fy=2026", {"travel_speed_kmh": 120, "pair_visits_threshold": 4,
                                                           "similarity_percent": 90})
    assert PaymentSettings.objects.get(fiscal_year=2026).travel_speed_kmh == 120


def test_an_outsider_sme_cannot_reach_any_payment_page(login, world):
    _company, outsider = factories.company_with_member()
    client = login(outsider)
    assert client.get(reverse("payments:batch_list")).status_code == 404
    assert client.get(reverse("payments:mine")).status_code == 404
