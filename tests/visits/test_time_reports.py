import datetime

import pytest
from django.utils import timezone

from core.models import AuditEvent
from dispatch.models import State
from programme.services import programme_for_year
from tests.visits.builders import move_visit, scheduled_now
from visits import actions
from visits.models import TimeReport

pytestmark = pytest.mark.django_db


def test_a_start_report_on_time_is_in_the_window(world):
    case = scheduled_now(world, started_minutes_ago=5)

    report = actions.record_time_report(case.pk, "start", timezone.now(), source="checkin", actor=world.sme)

    assert report.in_window
    assert report.minutes_off == 5
    assert report.received_at is not None
    assert AuditEvent.objects.filter(action="visits.time_reported.start", object_id=str(case.pk)).exists()


def test_a_start_report_21_minutes_late_is_outside_the_window(world):
    case = scheduled_now(world, started_minutes_ago=21)

    report = actions.record_time_report(case.pk, "start", timezone.now(), source="checkin", actor=world.sme)

    assert not report.in_window


def test_the_window_is_the_programme_years_setting(world):
    case = scheduled_now(world, started_minutes_ago=25)
    programme = programme_for_year(case.fiscal_year)
    programme.time_window_minutes = 30
    programme.save(update_fields=["time_window_minutes"])

    report = actions.record_time_report(case.pk, "start", timezone.now(), source="checkin", actor=world.sme)

    assert report.in_window and report.window_minutes == 30


def test_a_mail_stating_the_right_time_but_sent_three_hours_later_is_outside_the_window(world):
    case = scheduled_now(world, started_minutes_ago=180, hours=4)

    report = actions.record_time_report(case.pk, "start", case.starts_at, source="mail", sender="sme@example.jp")

    assert not report.in_window
    assert report.sender == "sme@example.jp"


def test_a_mail_stating_a_time_three_hours_off_is_outside_the_window(world):
    case = scheduled_now(world, started_minutes_ago=0)

    report = actions.record_time_report(case.pk, "start", timezone.now() + datetime.timedelta(hours=3), source="mail",
                                        received_at=timezone.now() + datetime.timedelta(hours=3))

    assert not report.in_window


def test_a_second_report_of_the_same_kind_and_source_is_refused_and_nothing_double_counted(world):
    case = scheduled_now(world, started_minutes_ago=2)
    actions.record_time_report(case.pk, "start", timezone.now(), source="mail", sender="a@example.jp")

    with pytest.raises(actions.Refused) as refused:
        actions.record_time_report(case.pk, "start", timezone.now(), source="mail", sender="a@example.jp")

    assert "報告済み" in refused.value.reasons[0]
    assert TimeReport.objects.filter(case=case).count() == 1


def test_a_mail_and_a_check_in_of_the_same_kind_are_both_kept(world):
    case = scheduled_now(world, started_minutes_ago=2)
    actions.record_time_report(case.pk, "start", timezone.now(), source="mail")
    actions.record_time_report(case.pk, "start", timezone.now(), source="checkin", actor=world.sme)

    assert TimeReport.objects.filter(case=case, kind="start").count() == 2


def test_the_end_report_closes_the_visit(world):
    case = scheduled_now(world, started_minutes_ago=120)

    actions.record_time_report(case.pk, "end", timezone.now(), source="mail")

    case.refresh_from_db()
    assert case.state == State.DONE
    assert case.events.filter(to_state=State.DONE).exists()


def test_a_check_in_by_the_expert_is_refused_with_a_reason(world):
    case = scheduled_now(world)

    with pytest.raises(actions.Refused) as refused:
        actions.record_time_report(case.pk, "start", timezone.now(), source="checkin", actor=world.expert.user)

    assert "代理の報告はできません" in refused.value.reasons[0]
    assert not TimeReport.objects.exists()


def test_a_report_for_a_cancelled_case_is_refused(world):
    case = world.case_in(State.CANCELLED)

    with pytest.raises(actions.Refused) as refused:
        actions.record_time_report(case.pk, "start", timezone.now(), source="mail")

    assert "取消し" in refused.value.reasons[0]


def test_a_report_before_the_day_of_the_visit_is_refused(world):
    case = world.case_in(State.SCHEDULED)  # ten days ahead

    with pytest.raises(actions.Refused):
        actions.record_time_report(case.pk, "start", timezone.now(), source="mail")

    assert not TimeReport.objects.exists()


def test_a_flagged_mail_report_needs_the_secretariats_review_before_it_counts(world):
    case = scheduled_now(world, started_minutes_ago=1)
    report = actions.record_time_report(case.pk, "start", timezone.now(), source="mail", sender="phone@docomo.ne.jp",
                                        needs_review=True, review_reason="登録外のアドレスから")
    assert report.in_window and not report.counts

    actions.review_time_report(world.secretariat, report.pk, accept=True)

    report.refresh_from_db()
    assert report.counts


def test_an_unknown_kind_is_refused(world):
    case = move_visit(world.case_in(State.SCHEDULED), timezone.now())

    with pytest.raises(actions.Refused):
        actions.record_time_report(case.pk, "lunch", timezone.now(), source="mail")
