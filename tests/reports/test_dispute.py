"""「内容が事実と異なる」: the SME disputes instead of certifying; the expert corrects the report."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dispatch.models import DispatchCase, DispatchEvent, State
from notifications.models import Outbox
from reports import actions
from reports.models import Certification, Dispute, SupportReport
from tests import factories
from tests.reports.builders import REPORT, certify_data, mailed_link, reported

pytestmark = pytest.mark.django_db

REASON = "支援は10時からではなく13時からでした。"


def dispute_path(path):
    return path + "dispute/"


def test_the_sme_disputes_through_the_link_and_the_case_stays_reported(client, world):
    case = reported(world)
    path, _ = mailed_link(world.sme.email)
    response = client.post(dispute_path(path), {"reason": REASON})
    assert response.status_code == 200 and "申出を受け付けました" in response.content.decode()
    assert DispatchCase.objects.get(pk=case.pk).state == State.REPORTED
    dispute = Dispute.objects.get(case=case)
    assert dispute.reason == REASON and dispute.raised_by == world.sme and dispute.resolved_at is None
    assert not Certification.objects.exists()
    event = DispatchEvent.objects.filter(case=case).last()
    assert event.from_state == event.to_state == State.REPORTED and REASON in event.reason


def test_the_expert_the_organisation_and_the_secretariat_are_mailed_the_dispute(client, world, settings):
    case = reported(world)
    client.post(dispute_path(mailed_link(world.sme.email)[0]), {"reason": REASON})
    mail = Outbox.objects.get(template="report_disputed")
    assert {world.expert.user.email, world.staff.email, settings.SECRETARIAT_EMAIL} <= set(mail.to)
    assert REASON in mail.body_text and f"/dispatch/{case.pk}/" in mail.body_text


def test_the_dispute_shows_on_the_case_page_and_in_the_dispute_lists(login, world):
    case = reported(world)
    actions.dispute(world.sme, case.pk, REASON)
    for user in [world.staff, world.secretariat, world.expert.user]:
        page = login(user).get(reverse("dispatch:detail", args=[case.pk])).content.decode()
        assert "内容が事実と異なる" in page and REASON in page
    for user in [world.staff, world.secretariat]:
        listing = login(user).get(reverse("reports:disputes")).content.decode()
        assert REASON in listing and world.company.name in listing


def test_another_organisation_does_not_see_the_dispute_and_smes_have_no_list(login, world):
    from tests.consultations.builders import coordinator

    case = reported(world)
    actions.dispute(world.sme, case.pk, REASON)
    other_staff = coordinator(factories.OrganisationFactory())
    assert REASON not in login(other_staff).get(reverse("reports:disputes")).content.decode()
    assert login(world.sme).get(reverse("reports:disputes")).status_code == 404
    assert login(world.expert.user).get(reverse("reports:disputes")).status_code == 404


def test_an_empty_dispute_is_refused_and_nothing_is_recorded(client, login, world):
    case = reported(world)
    path, _ = mailed_link(world.sme.email)
    response = client.post(dispute_path(path), {"reason": "   "})
    assert response.status_code == 400 and "具体的に入力してください" in response.content.decode()
    response = login(world.sme).post(reverse("reports:dispute", args=[case.pk]), {"reason": ""}, follow=True)
    assert "具体的に入力してください" in response.content.decode()
    assert not Dispute.objects.exists() and not Outbox.objects.filter(template="report_disputed").exists()


def test_a_dispute_through_a_used_or_foreign_link_is_refused(client, world):
    case = reported(world)
    path, token = mailed_link(world.sme.email)
    client.post(path, certify_data(case))
    assert client.post(dispute_path(path), {"reason": REASON}).status_code == 410
    other = reported(world, days=12)
    _, other_token = mailed_link(world.sme.email)
    foreign = reverse("reports:dispute_link", args=[case.pk, other_token])
    response = client.post(foreign, {"reason": REASON})
    assert response.status_code == 404 and "別の派遣" in response.content.decode()
    assert not Dispute.objects.exists()
    assert DispatchCase.objects.get(pk=other.pk).state == State.REPORTED


def test_the_expert_revises_the_report_and_the_sme_gets_a_fresh_link(client, login, world):
    # given a disputed report
    case = reported(world)
    old_path, _ = mailed_link(world.sme.email)
    actions.dispute(world.sme, case.pk, REASON)
    # when the expert corrects it
    expert = login(world.expert.user)
    form = expert.get(reverse("reports:report", args=[case.pk])).content.decode()
    assert REASON in form and "支援報告書の修正" in form
    data = {**REPORT, "activities": "13時から15時まで、ホームページの導線を点検した。", "hours": "2", "travel_claimed": "1320"}
    expert.post(reverse("reports:report", args=[case.pk]), data)
    # then the report is corrected, the dispute resolved, the old link dead and a new one works
    report = SupportReport.objects.get(case=case)
    assert report.activities.startswith("13時から") and report.revised_at is not None
    assert Dispute.objects.get(case=case).resolved_at is not None
    new_path, _ = mailed_link(world.sme.email)
    assert new_path != old_path
    assert "修正されました" in Outbox.objects.filter(template="report_submitted").latest("pk").subject
    client.logout()
    assert client.get(old_path).status_code == 410
    response = client.post(new_path, certify_data(case))
    assert response.status_code == 200
    assert DispatchCase.objects.get(pk=case.pk).state == State.CERTIFIED


def test_a_certified_report_can_no_longer_be_revised(login, world):
    case = reported(world)
    login(world.sme).post(reverse("reports:certify", args=[case.pk]), certify_data(case))
    with pytest.raises(actions.Refused, match="従事証明の前"):
        actions.revise_report(world.expert.user, case.pk, {**REPORT, "hours": Decimal("1")})
    response = login(world.expert.user).get(reverse("reports:report", args=[case.pk]), follow=True)
    assert "従事証明の前の報告だけ" in response.content.decode()
    assert SupportReport.objects.get(case=case).hours == Decimal("2")


def test_certifying_after_a_dispute_withdraws_it(client, world):
    case = reported(world)
    actions.dispute(world.sme, case.pk, REASON)
    client.post(mailed_link(world.sme.email)[0], certify_data(case))
    assert Dispute.objects.get(case=case).resolved_at is not None
    assert DispatchCase.objects.get(pk=case.pk).state == State.CERTIFIED
