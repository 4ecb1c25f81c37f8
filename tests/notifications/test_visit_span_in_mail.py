"""Every mail about a visit prints its 支援日時 the way people read it: an evening visit past midnight
ends 「翌1:00」 (not 「01:00」, which reads as a span running backwards); a visit within the day reads as
it always did."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dispatch import actions
from dispatch.models import DispatchCase, State
from reports import actions as report_actions
from tests.case_fixtures import private_media, world  # noqa: F401  (fixtures)
from tests.reports.builders import REPORT, evaluation
from visits.actions import record_time_report

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def day_of(moment):
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def body(received):
    return received["message"].get_body(("plain",)).get_content()


def mail_with(smtp_server, subject_part):
    (received,) = [m for m in smtp_server.messages if subject_part in m["message"]["Subject"]]
    return received


def support_line(text):
    (line,) = [line for line in text.splitlines() if line.startswith("支援日時")]
    return line


def test_a_visit_moved_to_an_evening_past_midnight_is_mailed_with_its_next_day_end(world, smtp_server, deliver_mail):
    # given a scheduled visit and a real SMTP server
    case = world.case_in(State.SCHEDULED)
    deliver_mail()
    smtp_server.messages.clear()
    # when the coordinator moves it to an evening seminar from 20:00 to 1:00 the next day
    start = at(timezone.localtime(case.starts_at).date(), 20)
    actions.reschedule_case(world.staff, case.pk, start, start + datetime.timedelta(hours=5), "商工会館", "夜のセミナーに変更")
    deliver_mail()
    # then everyone's mail gives the end as the next day's time
    received = mail_with(smtp_server, "日程が変更されました")
    assert support_line(body(received)) == f"支援日時：{day_of(start)} 20:00〜翌1:00"


def test_the_schedule_mail_of_a_plan_past_midnight_shows_the_next_day_end(world, smtp_server, deliver_mail):
    # given a case planned from 20:00 to 1:00 the next day, approved
    case = world.draft(hour=20)
    DispatchCase.objects.filter(pk=case.pk).update(ends_at=case.starts_at + datetime.timedelta(hours=5))
    actions.apply_case(world.staff, case.pk)
    actions.approve_case(world.secretariat, case.pk)
    deliver_mail()
    smtp_server.messages.clear()
    # when the expert accepts
    actions.accept_case(world.expert.user, case.pk)
    deliver_mail()
    # then the schedule mail reads 20:00〜翌1:00
    received = mail_with(smtp_server, "日程が確定しました")
    assert support_line(body(received)) == f"支援日時：{day_of(case.starts_at)} 20:00〜翌1:00"


def test_the_schedule_mail_of_a_daytime_visit_reads_as_before(world, smtp_server, deliver_mail):
    case = world.case_in(State.APPROVED)
    deliver_mail()
    smtp_server.messages.clear()

    actions.accept_case(world.expert.user, case.pk)
    deliver_mail()

    received = mail_with(smtp_server, "日程が確定しました")
    assert support_line(body(received)) == f"支援日時：{day_of(case.starts_at)} 10:00〜12:00"


def overnight_reported(world):
    """A visit planned 22:00–翌1:30 three days ago, checked in and out on time, reported by the expert."""
    case = world.case_in(State.SCHEDULED)
    starts_at = at(timezone.localdate() - 3 * DAY, 22)
    DispatchCase.objects.filter(pk=case.pk).update(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=3.5))
    case.refresh_from_db()
    for kind, moment in [("start", case.starts_at), ("end", case.ends_at)]:
        record_time_report(case.pk, kind, moment, source="checkin", actor=world.sme, received_at=moment)
    report_actions.submit_report(world.expert.user, case.pk, {**REPORT, "hours": Decimal("3.5")})
    return case


def test_the_report_and_certification_mails_of_an_overnight_visit_show_the_next_day_end(world, smtp_server, deliver_mail):
    # given an evening visit past midnight, reported by the expert
    case = overnight_reported(world)
    deliver_mail()
    # the SME is asked to certify a plan of 22:00〜翌1:30
    asked = mail_with(smtp_server, "従事証明と専門家の評価の入力のお願い")
    assert support_line(body(asked)) == f"支援日時：{day_of(case.starts_at)} 22:00〜翌1:30"
    smtp_server.messages.clear()
    # when the SME certifies 22:05 to 1:40 the next day
    day = timezone.localtime(case.starts_at).date()
    report_actions.certify(world.sme, case.pk, {
        "support_date": day, "start_time": datetime.time(22, 5), "end_time": datetime.time(1, 40),
        "ends_next_day": True, "content_confirmed": True,
    }, evaluation())
    deliver_mail()
    # then the expert and the organisation read the certified times with the next day's end
    certified = mail_with(smtp_server, "従事証明が入力されました")
    assert support_line(body(certified)) == f"支援日時（証明）：{day_of(case.starts_at)} 22:05〜翌1:40"


def test_the_certification_mail_of_a_daytime_visit_reads_as_before(world, smtp_server, deliver_mail):
    case = world.case_in(State.SCHEDULED)
    starts_at = at(timezone.localdate() - 3 * DAY, 10)
    DispatchCase.objects.filter(pk=case.pk).update(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2))
    report_actions.submit_report(world.expert.user, case.pk, dict(REPORT))
    deliver_mail()
    smtp_server.messages.clear()

    report_actions.certify(world.sme, case.pk, {
        "support_date": starts_at.date(), "start_time": datetime.time(10, 0), "end_time": datetime.time(12, 0),
        "content_confirmed": True,
    }, evaluation())
    deliver_mail()

    certified = mail_with(smtp_server, "従事証明が入力されました")
    assert support_line(body(certified)) == f"支援日時（証明）：{day_of(starts_at)} 10:00〜12:00"


def mail_templates_with_the_support_line():
    return sorted(p.name.removesuffix("-body.txt") for p in EMAILS.glob("*-body.txt") if "支援日時：" in p.read_text())


def test_every_mail_about_a_visit_prints_an_overnight_plan_with_the_next_day_end(world):
    # a guard for the mails not sent above: each one that prints the plan prints it the same way
    names = mail_templates_with_the_support_line()
    assert len(names) >= 19
    case = world.case_in(State.SCHEDULED, hour=20)
    DispatchCase.objects.filter(pk=case.pk).update(ends_at=case.starts_at + datetime.timedelta(hours=5))
    case.refresh_from_db()
    for name in names:
        with translation.override("ja"):
            text = render_to_string(f"emails/{name}-body.txt", {"case": case, "reason": "理由", "site_url": "https://x"})
        assert support_line(text) == f"支援日時：{day_of(case.starts_at)} 20:00〜翌1:00", name
