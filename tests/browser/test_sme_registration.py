import re

import pytest
from playwright.sync_api import expect

from companies.models import Company
from reference.models import Industry, Prefecture
from tests.browser.helpers import screenshot

pytestmark = pytest.mark.browser


def test_sme_registers_member_then_company_and_sees_its_sme_status(page, smtp_server, deliver_mail):
    # given a person signing up as an SME member (stage 1)
    page.goto("/accounts/signup/")
    page.get_by_label("氏名", exact=False).first.fill("中小太郎")
    page.get_by_label("ふりがな").fill("ちゅうしょうたろう")
    page.get_by_label("メールアドレス").fill("taro@pasona-kensetsu.example.jp")
    page.locator("#id_password1").fill("kensetsu-2026-secure")
    page.get_by_label("パスワード（確認）").fill("kensetsu-2026-secure")
    page.get_by_label("利用規約と個人情報の取扱いに同意します").check()
    screenshot(page, "sme-01-signup")
    page.get_by_role("button", name="登録する").click()
    expect(page.get_by_role("heading", name="マイページ")).to_be_visible()
    expect(page.get_by_text("確認メールを送りました", exact=False).first).to_be_visible()

    # when the verification mail arrives over SMTP and its link is opened
    deliver_mail()
    body = smtp_server.messages[-1]["message"].get_body(("plain",)).get_content()
    page.goto(re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", body).group(1))
    expect(page.get_by_text("メールアドレスを確認しました。")).to_be_visible()
    screenshot(page, "sme-02-verified")

    # and the company is registered (stage 2), first with a mistyped 法人番号
    page.get_by_role("link", name="事業者情報を登録する").click()
    page.get_by_role("radio", name="法人").check()
    page.get_by_label("法人番号").fill("2010001000006")
    page.get_by_label("事業者名", exact=False).first.fill("株式会社ぱそな建設")
    page.get_by_label("事業者名（ふりがな）").fill("かぶしきがいしゃぱそなけんせつ")
    page.get_by_label("代表者氏名").fill("中小太郎")
    page.get_by_label("業種（日本標準産業分類）").select_option(str(Industry.objects.get(code="D").pk))
    page.get_by_label("都道府県").select_option(str(Prefecture.objects.get(code="13").pk))
    page.get_by_label("市区町村").fill("千代田区")
    page.get_by_label("番地・建物名").fill("霞が関1-3-1")
    page.get_by_label("資本金（円）").fill("10000000")
    page.get_by_label("常時使用する従業員数").fill("12")
    page.get_by_role("button", name="登録する").click()

    # then the error is shown in Japanese next to the 法人番号 field, and nothing is saved
    error = page.locator("#id_corporate_number_error")
    expect(error).to_contain_text("チェックディジット")
    expect(page.get_by_label("法人番号")).to_have_attribute("aria-describedby", re.compile("id_corporate_number_error"))
    assert not Company.objects.exists()
    screenshot(page, "sme-03-corporate-number-error")

    # when the number is corrected
    page.get_by_label("法人番号").fill("1010001000006")
    page.get_by_role("button", name="登録する").click()

    # then the company page shows the computed status
    expect(page.get_by_role("heading", name="株式会社ぱそな建設")).to_be_visible()
    expect(page.get_by_test_id("sme-status")).to_have_text("中小企業者")
    expect(page.get_by_test_id("small-status")).to_have_text("小規模事業者")
    company = Company.objects.get()
    assert company.corporate_number == "1010001000006"
    screenshot(page, "sme-04-company")
