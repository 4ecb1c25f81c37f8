"""Issue 6 in Chromium: the secretariat checks the period, clears a flag, builds a batch, downloads the
全銀 file (parsed back), marks it paid; the expert gets the mail and sees the payment and the year's
total, and opens the statement PDF."""

import datetime
import subprocess

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from dispatch.models import State
from notifications.models import Outbox
from payments import zengin
from payments.models import PaymentBatch
from tests import factories
from tests.browser.helpers import log_in, screenshot
from tests.payments.builders import PayWorld

pytestmark = pytest.mark.browser


def test_the_secretariat_pays_verified_cases_and_the_expert_sees_the_payment(open_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # given two verified cases of one expert, the second overlapping another visit of the same expert
    world = PayWorld()
    first = world.verified(days_ago=12, hour=10)
    second = world.verified(days_ago=11, hour=10, company=world.new_company(),
                           activities="資金繰り表を一緒に作り、3か月先までの入出金を確認した。")
    world.verified(days_ago=11, hour=11, company=world.new_company(), state=State.CANCELLED,
                   activities="取り消された派遣の報告")  # not a visit: no flag
    overlapping = world.verified(days_ago=11, hour=11, company=world.new_company(), state=State.PAID,
                                 activities="別の事業者での販路開拓の支援。展示会の出展計画を立てた。")
    device = TOTPDevice.objects.create(user=world.secretariat, name="phone", confirmed=True)
    office = open_page()
    log_in(office, world.secretariat.email, factories.PASSWORD, device=device)

    # when the secretariat lists last 40 days' verified cases and runs the checks
    today = datetime.date.today()
    office.goto(f"/payments/new/?period_start={today - datetime.timedelta(days=40):%Y-%m-%d}&period_end={today:%Y-%m-%d}")
    expect(office.get_by_role("heading", name="確認済みの派遣 2件")).to_be_visible()
    office.get_by_role("button", name="この期間の派遣を点検する").click()
    expect(office.get_by_text("未確認の指摘は1件です")).to_be_visible()
    screenshot(office, "pay-01-period-checked")

    # then the overlapping visit is flagged with the reason, and the secretariat clears it with a reason
    office.get_by_role("link", name="支払前点検", exact=True).click()
    expect(office.get_by_text("支援時間が重なっています")).to_be_visible()
    expect(office.get_by_text(f"派遣#{overlapping.pk}")).to_be_visible()
    office.get_by_label("問題なし（支払ってよい）").check()
    office.get_by_label("理由").fill("もう一方の派遣は午後の別日程と電話で確認した。")
    office.get_by_role("button", name="記録する").click()
    expect(office.get_by_text("「確認済み（支払ってよい）」にしました")).to_be_visible()

    # when the secretariat builds the batch from the period list
    office.goto(f"/payments/new/?period_start={today - datetime.timedelta(days=40):%Y-%m-%d}&period_end={today:%Y-%m-%d}")
    expect(office.get_by_label(f"派遣#{second.pk}を除外")).not_to_be_checked()
    office.get_by_role("button", name="除外しない派遣で支払バッチを作る").click()
    expect(office.get_by_text("支払バッチを作成しました")).to_be_visible()
    batch = PaymentBatch.objects.get()
    expect(office.get_by_text("62,640円")).to_be_visible()  # 2 × (30,000 + 1,320)
    screenshot(office, "pay-02-batch-review")

    # and downloads the transfer file: it reads back with the totals of the page
    with office.expect_download() as download:
        office.get_by_role("button", name="全銀協形式の振込ファイルを出力する").click()
    path = tmp_path / "furikomi.txt"
    download.value.save_as(path)
    parsed = zengin.parse(path.read_bytes())
    assert int(parsed.trailer["total"]) == 62640 - 6395 and parsed.records[0]["name"].rstrip() == "ﾔﾏﾀﾞ ﾀﾛｳ"

    # and marks the batch paid once the bank has transferred
    office.goto(f"/payments/{batch.pk}/")
    office.get_by_role("button", name="銀行での振込が済んだので支払済みにする").click()
    expect(office.get_by_text("支払済みにする処理を始めました")).to_be_visible()
    expect(office.get_by_text("派遣2件のうち0件を支払済みにしました。")).to_be_visible()
    screenshot(office, "pay-03a-batch-paying")
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)  # the task worker
    expect(office.locator(".status-line")).to_have_text("支払済み")  # the progress box reloads the page
    screenshot(office, "pay-03-batch-paid")
    first.refresh_from_db()
    assert first.state == State.PAID
    assert [o.to for o in Outbox.objects.filter(template="payment_paid")] == [[world.expert.user.email]]

    # then the expert sees the payment, the calendar-year total and the statement PDF
    expert_page = open_page()
    log_in(expert_page, world.expert.user.email, factories.PASSWORD)
    expert_page.goto("/accounts/home/")
    expert_page.get_by_role("link", name="謝金・旅費の支払").click()
    expect(expert_page.get_by_role("row", name=f"{batch.transfer_date.year}年")).to_contain_text("56,245円")
    screenshot(expert_page, "pay-04-expert-payments")
    response = expert_page.request.get(f"/payments/statements/{batch.remittances.get().pk}/pdf/")
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "支払明細書" in text and "56,245円" in text
