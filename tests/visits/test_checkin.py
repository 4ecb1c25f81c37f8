import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.models import State
from tests import factories
from tests.visits.builders import move_visit, scheduled_now
from visits import actions, codes
from visits.models import CheckinAttempt, TimeReport

pytestmark = pytest.mark.django_db


def _code(case, kind="start"):
    return codes.current_code(case.pk, kind)[0]


def test_sme_checks_in_with_the_experts_code(login, world):
    # given the visit started 3 minutes ago and the expert shows the code
    case = scheduled_now(world, started_minutes_ago=3)
    code = _code(case)
    client = login(world.sme)

    # when the SME enters it
    response = client.post(reverse("visits:checkin", args=[case.pk]), {"kind": "start", "code": code}, follow=True)

    # then the start is recorded at the server's time, in the window
    report = TimeReport.objects.get(case=case)
    assert report.kind == "start" and report.source == "checkin" and report.in_window
    assert abs(report.received_at - timezone.now()) < datetime.timedelta(minutes=1)
    assert "チェックインを" in response.content.decode()


def test_sme_checks_out_with_the_end_code_and_the_case_is_done(world):
    case = scheduled_now(world, started_minutes_ago=120)
    actions.check_in(world.sme, case.pk, "start", _code(case, "start"))

    actions.check_in(world.sme, case.pk, "end", _code(case, "end"))

    case.refresh_from_db()
    assert case.state == State.DONE
    assert TimeReport.objects.get(case=case, kind="end").in_window


def test_the_start_code_does_not_check_out(world):
    case = scheduled_now(world, started_minutes_ago=120)
    start_code = _code(case, "start")
    actions.check_in(world.sme, case.pk, "start", start_code)

    with pytest.raises(actions.Refused):
        actions.check_in(world.sme, case.pk, "end", start_code)


def test_full_width_digits_and_spaces_are_accepted(world):
    case = scheduled_now(world)
    code = _code(case)
    typed = code[:3].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + " " + code[3:]

    report = actions.check_in(world.sme, case.pk, "start", typed)

    assert report.kind == "start"


def test_the_previous_steps_code_still_works_but_an_older_one_does_not(world):
    case = scheduled_now(world)
    now = timezone.now().timestamp()
    step = int(now // codes.STEP_SECONDS)
    assert codes.is_valid(case.pk, "start", codes.code_for(case.pk, "start", step - 1), now=now)
    assert not codes.is_valid(case.pk, "start", codes.code_for(case.pk, "start", step - 2), now=now)


def test_a_second_check_in_is_refused_and_not_double_counted(world):
    case = scheduled_now(world)
    actions.check_in(world.sme, case.pk, "start", _code(case))

    with pytest.raises(actions.Refused) as refused:
        actions.check_in(world.sme, case.pk, "start", _code(case))

    assert "報告済み" in refused.value.reasons[0]
    assert TimeReport.objects.filter(case=case).count() == 1


def test_the_expert_cannot_check_in_for_the_sme(login, world):
    case = scheduled_now(world)
    client = login(world.expert.user)

    response = client.post(reverse("visits:checkin", args=[case.pk]), {"kind": "start", "code": _code(case)})

    assert "代理の報告はできません" in response.content.decode()
    assert not TimeReport.objects.exists()


def test_the_organisation_cannot_check_in_for_the_sme(world):
    case = scheduled_now(world)

    with pytest.raises(actions.Refused) as refused:
        actions.check_in(world.staff, case.pk, "start", _code(case))

    assert "代理の報告はできません" in refused.value.reasons[0]


def test_a_wrong_code_is_refused_and_counted(world):
    case = scheduled_now(world)
    wrong = "000000" if _code(case) != "000000" else "111111"

    with pytest.raises(actions.Refused) as refused:
        actions.check_in(world.sme, case.pk, "start", wrong)

    assert "確認コードが違います" in refused.value.reasons[0]
    assert CheckinAttempt.objects.filter(case=case, succeeded=False).count() == 1
    assert not TimeReport.objects.exists()


def test_check_in_pauses_after_five_wrong_codes_even_with_the_right_one(world):
    case = scheduled_now(world)
    for _ in range(codes.MAX_WRONG):
        with pytest.raises(actions.Refused):
            actions.check_in(world.sme, case.pk, "start", "abcdef")

    with pytest.raises(actions.Refused) as refused:
        actions.check_in(world.sme, case.pk, "start", _code(case))

    assert "入力できません" in refused.value.reasons[0]
    assert not TimeReport.objects.exists()


def test_check_in_is_refused_on_another_day(world):
    case = world.case_in(State.SCHEDULED)  # ten days ahead

    with pytest.raises(actions.Refused) as refused:
        actions.check_in(world.sme, case.pk, "start", _code(case))

    assert "当日だけ" in refused.value.reasons[0]


def test_an_evening_visit_past_midnight_is_checked_in_and_out_after_the_date_changes(world):
    # given a visit from 23:30 yesterday to 02:30 today (local time)
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    case = world.case_in(State.SCHEDULED)
    move_visit(case, midnight - datetime.timedelta(minutes=30), hours=3)

    # when the SME checks in and out today, then both are recorded
    actions.check_in(world.sme, case.pk, "start", _code(case, "start"))
    actions.check_in(world.sme, case.pk, "end", _code(case, "end"))
    assert TimeReport.objects.filter(case=case).count() == 2


def test_a_visit_that_ended_yesterday_is_no_longer_checked_in(world):
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    case = world.case_in(State.SCHEDULED)
    move_visit(case, midnight - datetime.timedelta(hours=3), hours=2)

    with pytest.raises(actions.Refused) as refused:
        actions.check_in(world.sme, case.pk, "start", _code(case))

    assert "当日だけ" in refused.value.reasons[0]


def test_the_expert_sees_the_code_for_the_next_report(login, world):
    case = scheduled_now(world)
    page = login(world.expert.user).get(reverse("visits:code", args=[case.pk])).content.decode()
    assert f'data-code="{_code(case)}"' in page

    actions.check_in(world.sme, case.pk, "start", _code(case))

    page = login(world.expert.user).get(reverse("visits:code", args=[case.pk])).content.decode()
    assert f'data-code="{_code(case, "end")}"' in page


def test_only_the_expert_sees_the_code(login, world):
    case = scheduled_now(world)

    for user in (world.sme, world.staff, world.secretariat):
        assert login(user).get(reverse("visits:code", args=[case.pk])).status_code == 404


def test_the_code_page_is_not_cached(login, world):
    case = scheduled_now(world)
    response = login(world.expert.user).get(reverse("visits:code", args=[case.pk]))
    assert "no-store" in response["Cache-Control"]


def test_the_check_in_page_asks_the_sme_for_the_code(login, world):
    case = scheduled_now(world)

    page = login(world.sme).get(reverse("visits:checkin", args=[case.pk])).content.decode()

    assert "確認コード（6桁）" in page and 'autocomplete="one-time-code"' in page


def test_the_check_in_page_needs_a_login(client, world):
    case = scheduled_now(world)
    response = client.get(reverse("visits:checkin", args=[case.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_an_outsider_gets_404_on_the_check_in_page(login, world):
    case = scheduled_now(world)
    _, stranger = factories.company_with_member()
    assert login(stranger).get(reverse("visits:checkin", args=[case.pk])).status_code == 404
