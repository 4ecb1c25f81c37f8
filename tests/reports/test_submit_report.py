"""The expert files the support report after the visit; the SME members get a certification link."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import ExpertStats
from dispatch.models import DispatchCase, DispatchEvent, State
from notifications.models import Outbox
from reports import actions
from reports.models import CertificationLink, SupportReport, hash_token
from tests import factories
from tests.reports.builders import REPORT, end_report, mailed_link, visit_over, visited

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {**REPORT, "hours": "2", "travel_claimed": "1320"}
    data.update(changes)
    return data


def post_report(client, case, **changes):
    return client.post(reverse("reports:report", args=[case.pk]), form_data(**changes))


def test_expert_files_the_report_after_the_visit_and_the_case_is_reported(login, world):
    # given a visit that is over
    case = visited(world)
    # when the expert submits the report from the phone form
    response = post_report(login(world.expert.user), case)
    # then the case is reported, with the report as entered and a timeline entry
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.REPORTED
    report = SupportReport.objects.get(case=case)
    assert report.hours == Decimal("2") and report.travel_claimed == 1320
    assert report.travel_route == "JR中央線 立川→東京 往復" and report.submitted_by == world.expert.user
    assert DispatchEvent.objects.filter(case=case, from_state=State.SCHEDULED, to_state=State.REPORTED).exists()


def test_a_case_checked_out_by_the_sme_can_be_reported_and_open_dispatches_drop_once(world):
    # given the SME reported the end of the visit (the visits app moves the case to DONE)
    case = visited(world)
    open_before = ExpertStats.objects.get(expert=world.expert).open_dispatches
    end_report(case)
    assert DispatchCase.objects.get(pk=case.pk).state == State.DONE
    # when the expert files the report
    actions.submit_report(world.expert.user, case.pk, dict(REPORT))
    # then the case is reported and the expert's open dispatch ended once, at the check-out
    assert DispatchCase.objects.get(pk=case.pk).state == State.REPORTED
    assert ExpertStats.objects.get(expert=world.expert).open_dispatches == open_before - 1


def test_every_sme_member_gets_their_own_link_and_only_its_hash_is_stored(world):
    # given a company with a second member
    second = factories.grant(factories.UserFactory(name="工場長"), "sme")
    world.company.memberships.create(user=second, role="member")
    case = visited(world)
    # when the report is filed
    actions.submit_report(world.expert.user, case.pk, dict(REPORT))
    # then each member has a mail with a different link, and the database holds only hashes
    (_, first_token), (_, second_token) = mailed_link(world.sme.email), mailed_link(second.email)
    assert first_token != second_token
    links = CertificationLink.objects.filter(case=case)
    assert {link.token_hash for link in links} == {hash_token(first_token), hash_token(second_token)}
    assert not CertificationLink.objects.filter(token_hash=first_token).exists()
    mail = Outbox.objects.get(template="report_submitted", to=[world.sme.email])
    assert "従事証明" in mail.subject and "1回だけ使えます" in mail.body_text and "有効期限" in mail.body_text


def test_the_link_expires_after_the_days_set_for_the_programme_year(world):
    from reports.rules import rules_for

    case = visited(world)
    rules = rules_for(case.fiscal_year)
    rules.certification_link_days = 3
    rules.save()
    before = timezone.now()
    actions.submit_report(world.expert.user, case.pk, dict(REPORT))
    link = CertificationLink.objects.get(case=case)
    assert before + datetime.timedelta(days=3) <= link.expires_at <= timezone.now() + datetime.timedelta(days=3)


def test_reporting_a_visit_without_check_out_ends_the_experts_open_dispatch(world):
    case = visited(world)
    open_before = ExpertStats.objects.get(expert=world.expert).open_dispatches
    actions.submit_report(world.expert.user, case.pk, dict(REPORT))
    assert ExpertStats.objects.get(expert=world.expert).open_dispatches == open_before - 1


def test_the_report_is_refused_before_the_planned_end(login, world):
    case = world.case_in(State.SCHEDULED)
    response = post_report(login(world.expert.user), case)
    assert response.status_code == 302
    assert DispatchCase.objects.get(pk=case.pk).state == State.SCHEDULED
    assert not SupportReport.objects.exists()
    page = login(world.expert.user).get(response["Location"]).content.decode()
    assert "後に提出してください" in page


def test_a_second_report_is_refused_and_nothing_changes(world):
    case = visited(world)
    actions.submit_report(world.expert.user, case.pk, dict(REPORT))
    with pytest.raises(actions.Refused, match="提出済み"):
        actions.submit_report(world.expert.user, case.pk, {**REPORT, "hours": Decimal("1")})
    assert SupportReport.objects.get(case=case).hours == Decimal("2")
    assert CertificationLink.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("changes, field, message", [
    ({"hours": "0"}, "hours", "0より大きい値"),
    ({"hours": "-1"}, "hours", "0より大きい値"),
    ({"hours": "3.5"}, "hours", "長すぎます"),
    ({"hours": "abc"}, "hours", "数値で入力"),
    ({"hours": "1.125"}, "hours", "小数点以下2桁"),
    ({"travel_claimed": "-500"}, "travel_claimed", "0円以上"),
    ({"travel_claimed": "12.5"}, "travel_claimed", "円単位の整数"),
    ({"travel_claimed": "千円"}, "travel_claimed", "円単位の整数"),
    ({"travel_claimed": ""}, "travel_claimed", "請求しない場合は 0"),
    ({"travel_claimed": "99999999"}, "travel_claimed", "大きすぎます"),
    ({"travel_route": ""}, "travel_route", "経路と交通手段"),
    ({"activities": ""}, "activities", "実施した支援の内容を入力"),
    ({"advice": "  "}, "advice", "助言・提案の内容を入力"),
])
def test_bad_report_input_gets_a_japanese_message_and_changes_nothing(login, world, changes, field, message):
    case = visited(world)
    response = post_report(login(world.expert.user), case, **changes)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert DispatchCase.objects.get(pk=case.pk).state == State.SCHEDULED
    assert not SupportReport.objects.exists() and not Outbox.objects.filter(template="report_submitted").exists()


def test_hours_within_the_window_around_the_planned_duration_are_accepted(login, world):
    # 2 hours planned, ±20 minutes at both ends: 2h40m is still plausible
    case = visited(world)
    post_report(login(world.expert.user), case, hours="2.66")
    assert SupportReport.objects.get(case=case).hours == Decimal("2.66")


def test_travel_in_full_width_digits_with_comma_and_yen_is_read_as_yen(login, world):
    case = visited(world)
    post_report(login(world.expert.user), case, travel_claimed="１，３２０円")
    assert SupportReport.objects.get(case=case).travel_claimed == 1320


def test_no_travel_claimed_needs_no_route(login, world):
    case = visited(world)
    post_report(login(world.expert.user), case, travel_claimed="0", travel_route="")
    report = SupportReport.objects.get(case=case)
    assert report.travel_claimed == 0 and report.travel_route == ""


def test_the_action_refuses_implausible_hours_even_without_the_form(world):
    case = visited(world)
    with pytest.raises(actions.Refused, match="長すぎます"):
        actions.submit_report(world.expert.user, case.pk, {**REPORT, "hours": Decimal("9")})
    with pytest.raises(actions.Refused, match="経路と交通手段"):
        actions.submit_report(world.expert.user, case.pk, {**REPORT, "travel_route": " "})
    assert DispatchCase.objects.get(pk=case.pk).state == State.SCHEDULED


def test_another_expert_cannot_report_on_the_case(login, world):
    case = visited(world)
    intruder = factories.ExpertFactory()
    assert login(intruder.user).get(reverse("reports:report", args=[case.pk])).status_code == 404
    assert post_report(login(intruder.user), case).status_code == 404
    assert not SupportReport.objects.exists()


def test_the_sme_and_the_organisation_cannot_open_the_report_form(login, world):
    case = visited(world)
    assert login(world.sme).get(reverse("reports:report", args=[case.pk])).status_code == 404
    assert login(world.staff).get(reverse("reports:report", args=[case.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, world):
    case = visited(world)
    for name in ["report", "certify"]:
        response = client.get(reverse(f"reports:{name}", args=[case.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.get(reverse("reports:disputes"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["dispute", "reissue"])
def test_post_only_views_refuse_get(login, world, name):
    case = visited(world)
    assert login(world.sme).get(reverse(f"reports:{name}", args=[case.pk])).status_code == 405


def test_the_case_page_offers_the_report_form_to_the_expert_once_the_visit_is_over(login, world):
    case = world.case_in(State.SCHEDULED)
    client = login(world.expert.user)
    page = client.get(reverse("dispatch:detail", args=[case.pk])).content.decode()
    assert "後に支援報告書を提出できます" in page and reverse("reports:report", args=[case.pk]) not in page
    visit_over(case)
    page = client.get(reverse("dispatch:detail", args=[case.pk])).content.decode()
    assert reverse("reports:report", args=[case.pk]) in page


def test_report_form_shows_the_planned_visit(login, world):
    case = visited(world)
    page = login(world.expert.user).get(reverse("reports:report", args=[case.pk])).content.decode()
    assert "支援報告書" in page and "2時間" in page and world.company.name in page
