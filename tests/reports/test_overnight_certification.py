"""A visit that runs past midnight (an evening seminar, 22:00–翌1:30) is certified with its real times."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dispatch.models import DispatchCase, State
from payments.calc import amounts_for
from programme.services import programme_for_year
from reports import actions
from reports.models import Certification, CertificationLink, Evaluation
from tests.reports.builders import REPORT, certify_data, evaluation, mailed_link, reported
from visits.actions import record_time_report

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def evening_visit(world, start=(22, 0), hours=Decimal("3.5")):
    """A scheduled case planned three days ago from `start` for `hours`, past midnight."""
    case = world.case_in(State.SCHEDULED)
    starts_at = at(timezone.localdate() - 3 * DAY, *start)
    DispatchCase.objects.filter(pk=case.pk).update(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=float(hours)))
    case.refresh_from_db()
    return case


def check_in_and_out(world, case, start, end):
    """The SME's check-in and check-out on the visit's days (what visits.actions.check_in records)."""
    for kind, moment in [("start", start), ("end", end)]:
        record_time_report(case.pk, kind, moment, source="checkin", actor=world.sme, received_at=moment)


def report(world, case, hours=REPORT["hours"]):
    actions.submit_report(world.expert.user, case.pk, {**REPORT, "hours": hours})
    case.refresh_from_db()
    return case


def overnight(world, hours=Decimal("3.5")):
    """22:00–翌1:30 planned, checked in and out on time, reported."""
    case = evening_visit(world)
    check_in_and_out(world, case, case.starts_at, case.ends_at)
    return report(world, case, hours)


def proposed(page):
    """What the certification form proposes: the values of its date and time inputs and the 翌日 box."""
    values = dict(re.findall(r'<input[^>]*name="(support_date|start_time|end_time)"[^>]*value="([^"]*)"', page))
    box = re.search(r'<input[^>]*name="ends_next_day"[^>]*>', page)
    if box and "checked" in box.group(0):
        values["ends_next_day"] = "on"
    return values, box is not None


def nothing_certified(case):
    return (DispatchCase.objects.get(pk=case.pk).state == State.REPORTED
            and not Certification.objects.filter(case=case).exists()
            and not Evaluation.objects.filter(case=case).exists())


def overnight_certification(case, start=(22, 0), end=(1, 30), next_day=True, day=None):
    return {"support_date": day or timezone.localtime(case.starts_at).date(), "start_time": datetime.time(*start),
            "end_time": datetime.time(*end), "ends_next_day": next_day, "content_confirmed": True}


# ---- the proposal and the certification --------------------------------------------------------

def test_an_overnight_visit_is_certified_with_the_times_of_its_check_in_and_out(client, world):
    # given an evening visit planned 22:00–翌1:30, checked in at 22:05 and out at 1:40 the next day
    case = evening_visit(world)
    day = timezone.localtime(case.starts_at).date()
    check_in_and_out(world, case, at(day, 22, 5), at(day + DAY, 1, 40))
    report(world, case)
    path, _ = mailed_link(world.sme.email)
    # when the SME opens the mailed link and sends what the form proposes
    page = client.get(path).content.decode()
    values, shown = proposed(page)
    assert shown and values == {"support_date": day.isoformat(), "start_time": "22:05", "end_time": "01:40",
                                "ends_next_day": "on"}
    response = client.post(path, certify_data(case, **values))
    # then the real overnight times are certified
    assert "受け付けました" in response.content.decode()
    certification = Certification.objects.get(case=case)
    assert (certification.support_date, certification.start_time, certification.end_time, certification.ends_next_day) == (
        day, datetime.time(22, 5), datetime.time(1, 40), True)
    assert certification.ends_at - certification.starts_at == datetime.timedelta(hours=3, minutes=35)
    assert DispatchCase.objects.get(pk=case.pk).state == State.CERTIFIED


def test_without_check_in_the_form_proposes_the_overnight_plan(client, world):
    case = report(world, evening_visit(world))
    values, shown = proposed(client.get(mailed_link(world.sme.email)[0]).content.decode())
    assert shown and (values["start_time"], values["end_time"], values.get("ends_next_day")) == ("22:00", "01:30", "on")


def test_the_page_shows_the_planned_span_past_midnight(client, world):
    case = overnight(world)
    page = client.get(mailed_link(world.sme.email)[0]).content.decode()
    day = timezone.localtime(case.starts_at).date()
    assert f"{day.year}年{day.month}月{day.day}日 22:00〜翌1:30" in page


def test_a_same_day_visit_keeps_its_form_without_the_next_day_box(client, world):
    reported(world)
    values, shown = proposed(client.get(mailed_link(world.sme.email)[0]).content.decode())
    assert not shown and (values["start_time"], values["end_time"]) == ("10:00", "12:00")


def test_a_same_day_visit_that_ran_past_midnight_is_offered_the_box_after_the_refusal(client, world):
    # given a visit planned 10:00–12:00 (same day) whose SME types an end after midnight
    case = reported(world)
    path, _ = mailed_link(world.sme.email)
    response = client.post(path, certify_data(case, start_time="22:00", end_time="01:30"))
    page = response.content.decode()
    # then nothing is certified and the page says how to certify a next-day end, with the box
    assert "翌日に終わった場合は、「終了は翌日」にチェック" in page and proposed(page)[1]
    assert nothing_certified(case)


# ---- what the parties see afterwards -----------------------------------------------------------

def test_the_case_page_and_the_evidence_page_show_the_span_past_midnight(login, world):
    case = overnight(world)
    actions.certify(world.sme, case.pk, overnight_certification(case), evaluation())
    day = timezone.localtime(case.starts_at).date()
    span = f"{day.year}年{day.month}月{day.day}日 22:00〜翌1:30"
    case_page = login(world.sme).get(reverse("dispatch:detail", args=[case.pk])).content.decode()
    assert "証明した支援日時" in case_page and span in case_page
    evidence = login(world.secretariat).get(reverse("visits:evidence", args=[case.pk])).content.decode()
    assert evidence.count(span) == 2  # the plan and the certification
    assert re.search(r'id="certified-hours">3\.5時間（支援報告：3\.5時間）<', evidence)
    assert "より長くなっています" not in evidence


def test_the_evidence_page_says_when_the_report_claims_more_hours_than_certified(login, world):
    # given a report of 3.5 hours and a certification of 22:00–翌0:30 (2.5 hours)
    case = overnight(world)
    actions.certify(world.sme, case.pk, overnight_certification(case, end=(0, 30)), evaluation())
    # then the secretariat sees both figures and the difference
    page = login(world.secretariat).get(reverse("visits:evidence", args=[case.pk])).content.decode()
    assert "22:00〜翌0:30" in page
    assert "支援報告の支援時間（3.5時間）が、証明された時間（2.5時間）より長くなっています" in page


def test_an_overnight_visit_is_paid_for_its_hours_past_midnight(world):
    # given a year that pays 8,000円 an hour and an evening visit of 22:00–翌1:30 reported as 3.5 hours
    case = overnight(world, hours=Decimal("3.5"))  # not refused as longer than the plan
    programme = programme_for_year(case.fiscal_year)
    programme.honorarium_per_hour, programme.honorarium_max_hours = 8000, 4
    programme.save(update_fields=["honorarium_per_hour", "honorarium_max_hours"])
    actions.certify(world.sme, case.pk, overnight_certification(case), evaluation())
    # then the honorarium counts the hours across midnight
    assert Certification.objects.get(case=case).hours == Decimal("3.5")
    assert amounts_for(DispatchCase.objects.get(pk=case.pk)).honorarium == 28000


# ---- nonsense is refused and changes nothing ---------------------------------------------------

@pytest.mark.parametrize("changes, message", [
    ({"start_time": "22:00", "end_time": "01:30"}, "日付をまたいで翌日に終わった場合は、「終了は翌日」にチェックを入れてください。"),
    ({"start_time": "22:00", "end_time": "22:00", "ends_next_day": None}, "終了時刻は開始時刻より後にしてください。"),
    ({"start_time": "22:00", "end_time": "23:00", "ends_next_day": "on"}, "「終了は翌日」では支援時間が24時間以上になります（22:00〜翌23:00）"),
    ({"start_time": "22:00", "end_time": "22:00", "ends_next_day": "on"}, "24時間以上になります（22:00〜翌22:00）"),
])
def test_a_span_that_is_no_visit_is_refused_with_a_japanese_message(client, world, changes, message):
    case = overnight(world)
    path, _ = mailed_link(world.sme.email)
    data = certify_data(case, **{"ends_next_day": None, **changes})
    response = client.post(path, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert nothing_certified(case)
    assert CertificationLink.objects.get(case=case).used_at is None


@pytest.mark.parametrize("span, message", [
    ({"end": (23, 0)}, "24時間以上"),  # 22:00 to 23:00 the next day
    ({"next_day": False}, "翌日に終わった場合"),  # 22:00 to 1:30 the same day
])
def test_the_action_refuses_a_bad_span_whoever_calls_it(world, span, message):
    case = overnight(world)
    with pytest.raises(actions.Refused, match=message):
        actions.certify(world.sme, case.pk, overnight_certification(case, **span), evaluation())
    assert nothing_certified(case)


def test_the_database_refuses_a_span_of_a_day_or_more(world):
    case = overnight(world)
    fields = {"case": case, "support_date": timezone.localdate(), "content_confirmed": True,
              "certified_by": world.sme, "certified_at": timezone.now(), "channel": "login"}
    for start, end, next_day in [(datetime.time(22), datetime.time(23), True), (datetime.time(22), datetime.time(1), False)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Certification.objects.create(start_time=start, end_time=end, ends_next_day=next_day, **fields)
    Certification.objects.create(start_time=datetime.time(22), end_time=datetime.time(1, 30), ends_next_day=True, **fields)


# ---- the support date of a visit on two days ---------------------------------------------------

def test_a_visit_that_began_after_midnight_is_certified_on_its_second_day(world):
    # given a visit planned 23:50–翌1:50 that began at 0:05
    case = report(world, evening_visit(world, start=(23, 50), hours=Decimal("2")))
    second_day = timezone.localtime(case.ends_at).date()
    actions.certify(world.sme, case.pk, overnight_certification(case, start=(0, 5), end=(1, 50), next_day=False, day=second_day),
                    evaluation())
    assert Certification.objects.get(case=case).support_date == second_day


def test_a_date_outside_the_visits_days_is_refused(world):
    case = overnight(world)
    first = timezone.localtime(case.starts_at).date()
    with pytest.raises(actions.Refused, match=f"予定日（{first.year}年{first.month}月{first.day}日〜"):
        actions.certify(world.sme, case.pk, overnight_certification(case, day=first + 2 * DAY), evaluation())
    assert nothing_certified(case)
