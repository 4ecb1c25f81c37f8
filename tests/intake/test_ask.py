import pytest
from django.urls import reverse

from core.models import AuditEvent
from directory.models import ExpertProfile
from intake.models import ExpertRequest, RequestEvent
from notifications.models import Outbox
from tests import factories

from .conftest import jst

pytestmark = pytest.mark.django_db


def test_sme_asks_for_an_expert_and_the_organisation_sees_it_with_its_deadline(login, sme, expert, organisation, coordinator):
    # given an SME on the ask page of an approved expert
    client = login(sme)
    page = client.get(reverse("intake:ask", args=[expert.pk]))
    assert page.status_code == 200
    assert organisation.name in page.content.decode()
    # when it submits its problem to the Tokyo よろず支援拠点
    response = client.post(
        reverse("intake:ask", args=[expert.pk]),
        {"company": page.context["form"].initial["company"], "organisation": organisation.pk,
         "problem": "飲食店の集客をInstagramで始めたい。", "preferred_channel": "web"},
    )
    # then the request exists, is waiting for an answer and the SME sees its page
    req = ExpertRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("intake:detail", args=[req.pk])
    assert req.state == ExpertRequest.State.SUBMITTED and req.organisation == organisation
    assert req.events.get().kind == RequestEvent.Kind.SUBMITTED
    assert AuditEvent.objects.filter(action="intake.submitted", object_id=str(req.pk)).exists()
    assert {m.template for m in Outbox.objects.all()} == {"intake_submitted", "intake_new"}
    # and the organisation's coordinator finds it in the inbox
    client.logout()
    inbox = login(coordinator).get(reverse("intake:inbox"))
    assert req in inbox.context["requests"]


def test_request_submitted_on_friday_before_a_holiday_is_due_on_wednesday_end_of_day(make_request, login, coordinator):
    # 2026-11-20 is a Friday; Monday 11-23 is 勤労感謝の日.
    req = make_request(now=jst(2026, 11, 20, 10, 0))
    assert req.deadline_at == jst(2026, 11, 25, 23, 59, 59)
    inbox = login(coordinator).get(reverse("intake:inbox")).content.decode()
    assert "2026-11-25" in inbox


def test_ask_defaults_to_the_yorozu_centre_of_the_companys_prefecture(login, sme, expert):
    # given a 商工会 and the よろず支援拠点 in Tokyo (the company's prefecture)
    factories.OrganisationFactory(name="府中市商工会", kind="shokokai")
    yorozu = factories.OrganisationFactory(name="東京都よろず支援拠点", kind="yorozu")
    form = login(sme).get(reverse("intake:ask", args=[expert.pk])).context["form"]
    assert form.initial["organisation"] == yorozu.pk


def test_ask_for_an_expert_under_review_is_not_found(login, sme):
    pending = factories.ExpertFactory(status=ExpertProfile.Status.PENDING)
    assert login(sme).get(reverse("intake:ask", args=[pending.pk])).status_code == 404


def test_user_without_a_company_is_sent_to_company_registration(login, expert):
    user = factories.UserFactory()
    response = login(user).get(reverse("intake:ask", args=[expert.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("companies:new")
    assert "先に事業者情報を登録してください" in response.content.decode()


def test_anonymous_visitor_is_asked_to_log_in(client, expert):
    response = client.get(reverse("intake:ask", args=[expert.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_empty_problem_is_refused_with_a_japanese_message_and_nothing_is_saved(login, sme, company, expert, organisation):
    response = login(sme).post(
        reverse("intake:ask", args=[expert.pk]),
        {"company": company.pk, "organisation": organisation.pk, "problem": "  ", "preferred_channel": "phone"},
    )
    assert response.status_code == 200
    assert "相談したい課題を入力してください" in response.content.decode()
    assert not ExpertRequest.objects.exists() and not Outbox.objects.exists()


def test_sme_cannot_ask_on_behalf_of_another_company(login, sme, expert, organisation):
    other_company, _ = factories.company_with_member()
    response = login(sme).post(
        reverse("intake:ask", args=[expert.pk]),
        {"company": other_company.pk, "organisation": organisation.pk, "problem": "相談", "preferred_channel": "phone"},
    )
    assert response.status_code == 200 and "company" in response.context["form"].errors
    assert not ExpertRequest.objects.exists()


def test_sme_sees_its_requests_in_the_status_list(login, sme, make_request):
    req = make_request()
    page = login(sme).get(reverse("intake:mine"))
    assert list(page.context["requests"]) == [req]
    assert "回答待ち" in page.content.decode()


def test_sme_withdraws_an_open_request_and_the_organisation_is_told(login, sme, make_request, coordinator):
    req = make_request()
    response = login(sme).post(reverse("intake:withdraw", args=[req.pk]), {"reason": "自社で解決しました"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == ExpertRequest.State.WITHDRAWN
    assert Outbox.objects.get(template="intake_withdrawn").to == [coordinator.email]


def test_expert_page_offers_to_ask_for_this_expert(client, expert):
    page = client.get(reverse("directory:expert_detail", args=[expert.pk])).content.decode()
    assert "この専門家に相談したい" in page
    assert reverse("intake:ask", args=[expert.pk]) in page


@pytest.mark.parametrize("name", ["intake:mine", "intake:inbox"])
def test_anonymous_visitor_of_the_request_lists_is_asked_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_sme_list_does_not_show_other_companies_requests(login, make_request):
    make_request()
    other = factories.company_with_member()[1]
    assert list(login(other).get(reverse("intake:mine")).context["requests"]) == []
