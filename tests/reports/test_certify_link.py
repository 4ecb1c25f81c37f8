"""The SME member opens the mailed link (no login), certifies the service and evaluates the expert."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import ExpertStats
from dispatch.models import DispatchCase, DispatchEvent, State
from notifications.models import Outbox
from reports import actions
from reports.models import Certification, CertificationLink, Evaluation
from tests import factories
from tests.reports.builders import REPORT, certify_data, end_report, mailed_link, reported, visited

pytestmark = pytest.mark.django_db


def nothing_certified(case):
    return (DispatchCase.objects.get(pk=case.pk).state == State.REPORTED
            and not Certification.objects.filter(case=case).exists()
            and not Evaluation.objects.filter(case=case).exists())


def test_the_link_opens_without_login_and_shows_the_report_but_not_the_travel_claim(client, world):
    case = reported(world)
    path, _ = mailed_link(world.sme.email)
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 200
    assert "従事証明と専門家の評価" in page and REPORT["activities"] in page and REPORT["advice"] in page
    assert world.expert.display_name in page and "2時間" in page
    assert "1320" not in page and "立川" not in page
    assert world.sme.name in page  # whose link it is
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_certifying_through_the_link_certifies_records_the_evaluation_and_feeds_the_average(client, world):
    # given a reported case and the link mailed to the SME member
    case = reported(world)
    path, _ = mailed_link(world.sme.email)
    # when the member confirms date, times and content and rates the expert
    response = client.post(path, certify_data(case, satisfaction="4"))
    # then the case is certified by that member, the evaluation is kept and the public average moves
    assert response.status_code == 200 and "受け付けました" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.CERTIFIED
    certification = Certification.objects.get(case=case)
    assert certification.certified_by == world.sme and certification.channel == Certification.Channel.LINK
    assert certification.start_time == datetime.time(10, 0) and certification.end_time == datetime.time(12, 0)
    evaluation = Evaluation.objects.get(case=case)
    assert (evaluation.satisfaction, evaluation.usefulness, evaluation.punctuality) == (4, 4, 5)
    assert evaluation.would_recommend is True and "具体的" in evaluation.comment
    stats = ExpertStats.objects.get(expert=world.expert)
    assert stats.rating_count == 1 and stats.rating_average == 4
    assert DispatchEvent.objects.filter(case=case, to_state=State.CERTIFIED, actor=world.sme).exists()
    assert CertificationLink.objects.get(case=case).used_at is not None


def test_the_expert_and_the_organisation_are_told_of_the_certification(client, world):
    case = reported(world)
    client.post(mailed_link(world.sme.email)[0], certify_data(case))
    mail = Outbox.objects.get(template="report_certified")
    assert world.expert.user.email in mail.to and world.staff.email in mail.to
    assert "従事証明が入力されました" in mail.subject


def test_the_mail_with_the_link_arrives_over_smtp_and_the_link_works(client, world, smtp_server, deliver_mail):
    # given a visit that is over and a real SMTP server
    case = visited(world)
    deliver_mail()
    smtp_server.messages.clear()
    # when the expert files the report and the worker sends the outbox
    actions.submit_report(world.expert.user, case.pk, dict(REPORT))
    deliver_mail()
    # then the SME member receives a Japanese mail with the link, and the link opens the form
    (received,) = [m for m in smtp_server.messages if m["to"] == [world.sme.email]]
    message = received["message"]
    assert "従事証明" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    path = f"/reports/certify/{case.pk}/"
    assert path in body and "有効期限" in body
    link = urlsplit(body[body.index("http"):].split()[0])
    response = client.get(link.path)
    assert response.status_code == 200 and "従事証明" in response.content.decode()


def test_a_used_link_is_refused_with_a_reason_and_nothing_changes(client, world):
    case = reported(world)
    path, _ = mailed_link(world.sme.email)
    client.post(path, certify_data(case))
    stats = ExpertStats.objects.get(expert=world.expert)
    # when the same link is opened and posted again
    opened = client.get(path)
    again = client.post(path, certify_data(case, satisfaction="1"))
    # then both are refused with the reason, and neither the evaluation nor the average changes
    assert opened.status_code == 410 and "使用済み" in opened.content.decode()
    assert again.status_code == 410 and "1回限り" in again.content.decode()
    assert Evaluation.objects.get(case=case).satisfaction == 5
    assert ExpertStats.objects.get(expert=world.expert).rating_count == stats.rating_count == 1


def test_an_expired_link_is_refused_and_nothing_changes(client, world):
    case = reported(world)
    path, _ = mailed_link(world.sme.email)
    CertificationLink.objects.filter(case=case).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    opened = client.get(path)
    posted = client.post(path, certify_data(case))
    assert opened.status_code == 410 and "有効期限" in opened.content.decode()
    assert posted.status_code == 410 and "ログインして派遣の画面から" in posted.content.decode()
    assert nothing_certified(case)


def test_a_link_used_for_another_case_is_refused(client, world):
    case = reported(world)
    other = reported(world, days=12)
    _, token = mailed_link(world.sme.email)  # the newest: for the other case
    wrong_path = reverse("reports:certify_link", args=[case.pk, token])
    opened = client.get(wrong_path)
    posted = client.post(wrong_path, certify_data(case))
    assert opened.status_code == 404 and "別の派遣" in opened.content.decode()
    assert posted.status_code == 404 and "別の派遣" in posted.content.decode()
    assert nothing_certified(case) and nothing_certified(other)


def test_an_unknown_or_cut_token_is_refused(client, world):
    case = reported(world)
    _, token = mailed_link(world.sme.email)
    for bad in [token[:-3], "x" * 43]:
        response = client.get(reverse("reports:certify_link", args=[case.pk, bad]))
        assert response.status_code == 404 and "このリンクは無効です" in response.content.decode()
    assert nothing_certified(case)


def test_a_second_certification_through_another_members_link_is_refused(client, world):
    # given two members with a link each, and the first has certified
    second = factories.grant(factories.UserFactory(name="工場長"), "sme")
    world.company.memberships.create(user=second, role="member")
    case = reported(world)
    client.post(mailed_link(world.sme.email)[0], certify_data(case))
    # when the second member uses their own, unused link
    response = client.post(mailed_link(second.email)[0], certify_data(case, satisfaction="2"))
    # then it is refused, naming who certified, and only one certification and rating exist
    assert response.status_code == 410
    assert "入力済み" in response.content.decode() and world.sme.name in response.content.decode()
    assert Certification.objects.filter(case=case).count() == 1
    assert ExpertStats.objects.get(expert=world.expert).rating_count == 1


def test_a_link_of_a_member_who_left_the_company_is_refused(client, world):
    case = reported(world)
    path, _ = mailed_link(world.sme.email)
    world.company.memberships.filter(user=world.sme).delete()
    response = client.get(path)
    assert response.status_code == 410 and "担当者として登録されていません" in response.content.decode()


@pytest.mark.parametrize("changes, message", [
    ({"content_confirmed": None}, "確認欄にチェック"),
    ({"end_time": "09:00"}, "終了時刻は開始時刻より後"),
    ({"start_time": "25:00"}, "支援開始時刻を正しく入力"),
    ({"satisfaction": None}, "1〜5のいずれか"),
    ({"usefulness": "6"}, "1〜5のいずれか"),
    ({"would_recommend": "maybe"}, "選択してください"),
    ({"support_date": "2001-01-01"}, "予定日"),
])
def test_bad_certification_input_gets_a_japanese_message_and_changes_nothing(client, world, changes, message):
    case = reported(world)
    path, _ = mailed_link(world.sme.email)
    response = client.post(path, certify_data(case, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_certified(case)
    assert CertificationLink.objects.get(case=case).used_at is None  # the link still works


def test_the_form_proposes_the_times_the_sme_reported(client, world):
    # given the SME reported the end 10 minutes late by mail
    case = visited(world)
    end_report(case, minutes_late=10)
    actions.submit_report(world.expert.user, case.pk, dict(REPORT))
    page = client.get(mailed_link(world.sme.email)[0]).content.decode()
    assert 'value="10:00"' in page and 'value="12:10"' in page


def test_the_link_page_says_when_no_photo_was_sent_yet(client, world):
    reported(world)
    page = client.get(mailed_link(world.sme.email)[0]).content.decode()
    assert "写真がまだ届いていません" in page
