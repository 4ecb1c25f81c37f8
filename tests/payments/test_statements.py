"""The expert's statements (PDF read back with pdftotext) and their page of payments per year."""

import datetime
import subprocess

import pytest
from django.urls import reverse

from core.dates import add_business_days
from directory.models import ExpertProfile
from dispatch.models import State
from payments import actions
from payments.models import Remittance
from tests import factories
from tests.payments.builders import paid_expert, pay

pytestmark = pytest.mark.django_db


def paid_batch(world):
    today = datetime.date.today()
    batch = actions.create_batch(world.secretariat, today - datetime.timedelta(days=40), today, add_business_days(today, 2))
    actions.export_batch(world.secretariat, batch.pk)
    pay(world.secretariat, batch)
    return batch


def pdf_text(data, tmp_path):
    path = tmp_path / "statement.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_statement_pdf_lists_cases_honorarium_travel_withholding_and_net(login, world, tmp_path):
    ExpertProfile.objects.filter(pk=world.expert.pk).update(invoice_number="T8000012010001")
    case = world.verified(days_ago=12)
    paid_batch(world)
    remittance = Remittance.objects.get(expert=world.expert)
    response = login(world.expert.user).get(reverse("payments:remittance_pdf", args=[remittance.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "支払明細書" in text and f"{world.expert.display_name} 様" in text
    assert "T8000012010001" in text and f"#{case.pk}" in text
    assert "30,000円" in text and "1,320円" in text and "3,197円" in text and "28,123円" in text


def test_a_corporations_statement_says_nothing_is_withheld(login, world, tmp_path):
    company_expert = paid_expert(holder="カ）ヨロズ", is_corporation=True)
    world.verified(days_ago=12, expert=company_expert, company=world.new_company())
    paid_batch(world)
    remittance = Remittance.objects.get(expert=company_expert)
    text = pdf_text(login(world.secretariat).get(reverse("payments:remittance_pdf", args=[remittance.pk])).content, tmp_path)
    assert "法人への支払のため源泉徴収はありません" in text and "31,320円" in text


def test_another_expert_cannot_open_the_statement(login, world):
    world.verified(days_ago=12)
    paid_batch(world)
    remittance = Remittance.objects.get(expert=world.expert)
    intruder = factories.ExpertFactory()
    client = login(intruder.user)
    assert client.get(reverse("payments:remittance_pdf", args=[remittance.pk])).status_code == 404
    assert client.get(reverse("payments:remittance_detail", args=[remittance.pk])).status_code == 404


def test_the_expert_sees_each_payment_and_the_calendar_year_total(login, world):
    world.verified(days_ago=12)
    world.verified(days_ago=11)
    batch = paid_batch(world)
    page = login(world.expert.user).get(reverse("payments:mine")).content.decode()
    assert f"{batch.transfer_date.year}年" in page
    assert "62,640円" in page and "6,395円" in page and "56,245円" in page  # gross, withheld, net
    assert reverse("payments:remittance_pdf", args=[Remittance.objects.get().pk]) in page


def test_the_expert_sees_who_holds_up_a_case_not_yet_payable(login, world):
    world.verified(days_ago=5, state=State.REPORTED)
    page = login(world.expert.user).get(reverse("payments:mine")).content.decode()
    assert "中小企業者" in page and "従事証明と専門家の評価の入力" in page


def test_the_expert_page_issues_a_fixed_number_of_queries(login, world, django_assert_max_num_queries):
    for days in (12, 11, 10):
        world.verified(days_ago=days, hour=9 + days, company=world.new_company())
    paid_batch(world)
    for days in (5, 4):
        world.verified(days_ago=days, state=State.REPORTED, company=world.new_company())
    client = login(world.expert.user)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("payments:mine")).status_code == 200
