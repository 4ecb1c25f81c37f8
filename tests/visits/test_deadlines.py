import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dispatch.models import State
from notifications.models import Outbox
from tests.visits.builders import jpeg_upload, move_visit, pdf_upload, scheduled_now, set_state
from visits import actions
from visits.deadlines import send_deadline_warnings
from visits.models import DeadlineWarning

pytestmark = pytest.mark.django_db


def _done_days_ago(world, days):
    case = scheduled_now(world, started_minutes_ago=60)
    set_state(case, State.DONE)
    return move_visit(case, timezone.now() - datetime.timedelta(days=days))


def _rules(case, deadline_days=30, warn_days=7):
    rules = actions.rules_for_year(case.fiscal_year)
    rules.evidence_deadline_days, rules.warn_days_before = deadline_days, warn_days
    rules.save()
    return rules


def test_the_deadline_is_the_visit_day_plus_the_programme_years_days(world):
    case = _done_days_ago(world, 1)
    _rules(case, deadline_days=45)
    assert actions.deadline_for(case) == timezone.localtime(case.ends_at).date() + datetime.timedelta(days=45)


def test_every_party_is_warned_once_within_the_warning_period(world, capsys):
    case = _done_days_ago(world, 25)
    _rules(case, deadline_days=30, warn_days=7)

    call_command("warn_deadlines")
    call_command("warn_deadlines")

    mails = Outbox.objects.filter(template="visits_deadline_warning")
    assert mails.count() == 1
    mail = mails.get()
    assert {world.sme.email, world.expert.user.email, world.staff.email} <= set(mail.to)
    assert "支援状況の写真" in mail.body_text and "従事証明" in mail.body_text
    assert "deadline warnings queued: 1" in capsys.readouterr().out


def test_no_warning_before_the_warning_period(world):
    case = _done_days_ago(world, 10)
    _rules(case, deadline_days=30, warn_days=7)

    assert send_deadline_warnings() == 0
    assert not DeadlineWarning.objects.exists()


def test_no_warning_for_a_verified_or_cancelled_case(world):
    case = _done_days_ago(world, 25)
    _rules(case)
    set_state(case, State.VERIFIED)

    assert send_deadline_warnings() == 0


def test_a_rescheduled_visit_gets_a_new_warning_for_its_new_deadline(world):
    case = _done_days_ago(world, 25)
    _rules(case)
    send_deadline_warnings()
    move_visit(case, timezone.now() - datetime.timedelta(days=27))

    assert send_deadline_warnings() == 1


def test_past_the_deadline_the_secretariat_marks_the_case_outside_with_a_reason(login, world):
    case = _done_days_ago(world, 40)
    _rules(case)

    login(world.secretariat).post(reverse("visits:outside", args=[case.pk]), {"reason": "写真と従事証明が期限までに届かなかったため"})

    case.refresh_from_db()
    assert case.state == State.OUTSIDE
    assert case.events.get(to_state=State.OUTSIDE).reason == "写真と従事証明が期限までに届かなかったため"
    assert world.sme.email in Outbox.objects.get(template="visits_outside").to


def test_outside_is_refused_before_the_deadline(world):
    case = _done_days_ago(world, 5)
    _rules(case)

    with pytest.raises(actions.Refused) as refused:
        actions.mark_outside(world.secretariat, case.pk, "期限切れ")

    assert "過ぎていない" in refused.value.reasons[0]
    case.refresh_from_db()
    assert case.state == State.DONE


def test_outside_needs_a_reason(world):
    case = _done_days_ago(world, 40)
    with pytest.raises(actions.Refused):
        actions.mark_outside(world.secretariat, case.pk, " ")


def test_outside_is_refused_when_the_evidence_is_complete(world):
    case = _done_days_ago(world, 40)
    actions.record_time_report(case.pk, "start", case.starts_at, source="mail", received_at=case.starts_at)
    actions.record_time_report(case.pk, "end", case.ends_at, source="mail", received_at=case.ends_at)
    actions.attach_photo(case.pk, jpeg_upload(), source="upload", actor=world.sme)
    actions.attach_consent(world.company.pk, case.fiscal_year, pdf_upload(), source="upload", actor=world.sme)
    set_state(case, State.CERTIFIED)

    with pytest.raises(actions.Refused):
        actions.mark_outside(world.secretariat, case.pk, "期限切れ")


def test_only_the_secretariat_marks_a_case_outside(login, world):
    case = _done_days_ago(world, 40)
    assert login(world.staff).post(reverse("visits:outside", args=[case.pk]), {"reason": "x"}).status_code == 404
    case.refresh_from_db()
    assert case.state == State.DONE
