import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.models import AuditEvent
from intake.models import ExpertRequest, RequestEvent
from reference.models import Bureau, Prefecture
from tests import factories

pytestmark = pytest.mark.django_db


def _future(days=7):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_accepting_books_the_appointment_and_mails_the_sme_through_smtp(
    login, sme, coordinator, make_request, smtp_server, deliver_mail
):
    # given an open request
    req = make_request()
    deliver_mail()
    smtp_server.messages.clear()
    # when the coordinator accepts with a date, time and place
    response = login(coordinator).post(
        reverse("intake:accept", args=[req.pk]),
        {"date": _future(), "time": "14:00", "channel": "in_person", "place": "東京都よろず支援拠点 相談室A", "note": "決算書をお持ちください"},
    )
    assert response.status_code == 302
    # then the request is accepted with the appointment and the SME is mailed
    req.refresh_from_db()
    assert req.state == ExpertRequest.State.ACCEPTED
    assert timezone.localtime(req.appointment_at).hour == 14
    assert req.appointment_place == "東京都よろず支援拠点 相談室A"
    assert req.first_response_at is not None and req.decided_by == coordinator
    assert req.events.filter(kind=RequestEvent.Kind.ACCEPTED, actor=coordinator, from_state="submitted", to_state="accepted").exists()
    assert AuditEvent.objects.filter(action="intake.accepted", object_id=str(req.pk)).exists()
    deliver_mail()
    [received] = smtp_server.messages
    assert received["to"] == [sme.email]
    assert "受け付けられました" in received["message"]["Subject"]
    body = received["message"].get_body(("plain",)).get_content()
    assert "相談室A" in body and "決算書をお持ちください" in body


def test_appointment_in_the_past_is_refused_and_nothing_changes(login, coordinator, make_request):
    req = make_request()
    response = login(coordinator).post(
        reverse("intake:accept", args=[req.pk]),
        {"date": "2020-01-06", "time": "10:00", "channel": "phone", "place": ""},
    )
    assert response.status_code == 400
    assert "現在より後の日時" in response.content.decode()
    req.refresh_from_db()
    assert req.state == ExpertRequest.State.SUBMITTED and req.first_response_at is None


def test_decline_without_a_reason_is_refused_and_nothing_changes(login, coordinator, make_request):
    req = make_request()
    response = login(coordinator).post(reverse("intake:decline", args=[req.pk]), {"reason": "   "})
    assert response.status_code == 400
    assert "理由を必ず入力してください" in response.content.decode()
    req.refresh_from_db()
    assert req.state == ExpertRequest.State.SUBMITTED
    assert req.events.count() == 1
    assert not AuditEvent.objects.filter(action="intake.declined").exists()


def test_sme_sees_the_reason_of_a_decline(login, client, sme, coordinator, make_request):
    req = make_request()
    login(coordinator).post(
        reverse("intake:decline", args=[req.pk]), {"reason": "当拠点ではWeb集客の専門家派遣の予算が今年度終了しました。"}
    )
    client.logout()
    page = login(sme).get(reverse("intake:detail", args=[req.pk])).content.decode()
    assert "お断り" in page
    assert "予算が今年度終了しました" in page
    assert "別の支援機関への依頼を検討" in page  # who must act next


def test_answered_request_cannot_be_answered_again(login, coordinator, make_request):
    req = make_request()
    client = login(coordinator)
    client.post(reverse("intake:decline", args=[req.pk]), {"reason": "対象外の業種のため"})
    response = client.post(
        reverse("intake:accept", args=[req.pk]), {"date": _future(), "time": "10:00", "channel": "phone", "place": "03-0000-0000"}
    )
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.state == ExpertRequest.State.DECLINED


def _other_sme():
    return factories.company_with_member()[1]


def _staff_of_other_org():
    other = factories.OrganisationFactory(name="大阪府よろず支援拠点", prefecture=Prefecture.objects.get(code="27"))
    return factories.grant(factories.UserFactory(), Role.COORDINATOR, organisation=other)


def _bureau_of_other_region():
    return factories.grant(factories.UserFactory(), Role.BUREAU, bureau=Bureau.objects.get(code="kinki"))


@pytest.mark.parametrize("outsider", [_other_sme, _staff_of_other_org, _bureau_of_other_region])
def test_outsiders_get_404_on_every_request_page(login, make_request, outsider):
    req = make_request()
    client = login(outsider())
    assert client.get(reverse("intake:detail", args=[req.pk])).status_code == 404
    for name in ["accept", "decline", "withdraw"]:
        assert client.post(reverse(f"intake:{name}", args=[req.pk]), {"reason": "x"}).status_code == 404
    req.refresh_from_db()
    assert req.state == ExpertRequest.State.SUBMITTED


def test_bureau_of_the_region_and_secretariat_can_read_but_not_answer(login, client, make_request, bureau_user, secretariat):
    req = make_request()
    for user in [bureau_user, secretariat]:
        viewer = login(user)
        page = viewer.get(reverse("intake:detail", args=[req.pk]))
        assert page.status_code == 200 and not page.context["can_answer"]
        assert viewer.post(reverse("intake:decline", args=[req.pk]), {"reason": "x"}).status_code == 403
        client.logout()
    req.refresh_from_db()
    assert req.state == ExpertRequest.State.SUBMITTED


@pytest.mark.parametrize("name", ["accept", "decline", "withdraw"])
def test_get_on_an_action_is_not_allowed(login, coordinator, make_request, name):
    req = make_request()
    assert login(coordinator).get(reverse(f"intake:{name}", args=[req.pk])).status_code == 405


@pytest.mark.parametrize("name", ["detail", "accept", "decline", "withdraw"])
def test_anonymous_is_sent_to_login(client, make_request, name):
    req = make_request()
    url = reverse(f"intake:{name}", args=[req.pk])
    response = client.get(url) if name == "detail" else client.post(url)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_inbox_is_not_found_for_non_staff(login, sme):
    assert login(sme).get(reverse("intake:inbox")).status_code == 404


def test_inbox_lists_overdue_requests_first_then_by_deadline(login, coordinator, make_request):
    now = timezone.now()
    fresh = make_request(now=now)
    overdue = make_request(now=now - datetime.timedelta(days=10))
    older_fresh = make_request(now=now - datetime.timedelta(hours=1))
    answered = make_request(now=now - datetime.timedelta(days=20))
    answered.state = ExpertRequest.State.DECLINED
    answered.save(update_fields=["state"])
    page = login(coordinator).get(reverse("intake:inbox") + "?state=all")
    listed = list(page.context["requests"])
    assert listed[0] == overdue
    assert listed[-1] == answered
    assert set(listed[1:3]) == {fresh, older_fresh}
    assert "期限超過" in page.content.decode()


def test_accepted_request_is_linked_to_its_consultation_once(coordinator, make_request):
    from intake import actions

    req = make_request()
    with pytest.raises(actions.IntakeError):
        actions.link_consultation(coordinator, req.pk, 41)  # not accepted yet
    actions.accept_request(coordinator, req.pk, timezone.now() + datetime.timedelta(days=3), "phone", "03-1234-5678")
    actions.link_consultation(coordinator, req.pk, 41)
    actions.link_consultation(coordinator, req.pk, 41)
    req.refresh_from_db()
    assert req.consultation_ref == 41
    assert req.events.filter(kind=RequestEvent.Kind.CONSULTED).count() == 1
