"""Every rule that refuses an application: a clear Japanese reason, and nothing changes."""

import datetime

import pytest
from django.utils import timezone

from consultations.models import Consultation
from directory.models import ExpertProfile
from dispatch import actions
from dispatch.models import DispatchEvent, State
from programme.services import programme_for_year
from reference.models import Prefecture
from tests import factories
from tests.consultations.builders import consult, coordinator

pytestmark = pytest.mark.django_db


def refused(world, case):
    """Apply, expect a refusal; return its text after checking nothing changed."""
    events_before = DispatchEvent.objects.filter(case=case).count()
    state_before = case.state
    with pytest.raises(actions.Refused) as info:
        actions.apply_case(world.staff, case.pk)
    case.refresh_from_db()
    assert case.state == state_before
    assert DispatchEvent.objects.filter(case=case).count() == events_before
    return " ".join(info.value.reasons)


def test_a_fourth_dispatch_in_a_year_is_refused_even_through_another_organisation(world):
    # given three dispatches applied this fiscal year (two organisations)
    for days in (10, 11):
        actions.apply_case(world.staff, world.draft(days=days).pk)
    other = factories.OrganisationFactory(name="府中市商工会")
    other_staff = coordinator(other, "指導員三郎")
    other_consultation = consult(other_staff, other, world.company)
    world_org, world_staff, world_consultation = world.organisation, world.staff, world.consultation
    world.organisation, world.staff, world.consultation = other, other_staff, other_consultation
    actions.apply_case(other_staff, world.draft(days=12).pk)
    # when a fourth (not IT) is applied for
    fourth = world.draft(days=13)
    reason = refused(world, fourth)
    # then it is refused with the count
    assert "派遣回数の上限（3回" in reason and "利用済み3回" in reason
    world.organisation, world.staff, world.consultation = world_org, world_staff, world_consultation


def test_it_topics_may_use_up_to_five_dispatches(world):
    for days in (10, 11, 12):
        actions.apply_case(world.staff, world.draft(days=days).pk)
    # a fourth and fifth on IT are allowed
    for days in (13, 14):
        case = world.draft(days=days, topic="IT・Web活用")
        actions.apply_case(world.staff, case.pk)
    # the sixth is not, IT or not
    assert "IT分野を含め5回" in refused(world, world.draft(days=15, topic="IT・Web活用"))
    assert "上限" in refused(world, world.draft(days=16))


def test_cancelled_and_returned_cases_do_not_use_up_the_quota(world):
    world.case_in(State.CANCELLED, days=10)
    world.case_in(State.RETURNED, days=11)
    for days in (12, 13, 14):
        actions.apply_case(world.staff, world.draft(days=days).pk)
    assert "上限" in refused(world, world.draft(days=15))


def test_application_after_the_deadline_is_refused(world):
    case = world.draft()
    year = programme_for_year(case.fiscal_year)
    year.application_deadline = timezone.localdate() - datetime.timedelta(days=1)
    year.save()
    assert "派遣申請の締切" in refused(world, case)


def test_application_without_a_consultation_is_refused(world):
    case = world.draft(consultation=None)
    assert "経営相談の記録がありません" in refused(world, case)


def test_a_consultation_of_another_company_does_not_count(world):
    other_company, _ = factories.company_with_member()
    other = consult(world.staff, world.organisation, other_company)
    case = world.draft(consultation=other)
    assert "経営相談の記録がありません" in refused(world, case)


def test_phone_consultation_counts_only_under_the_disaster_exception(world):
    phone = consult(world.staff, world.organisation, world.company, channel=Consultation.Channel.PHONE, photo=False)
    case = world.draft(consultation=phone)
    assert "電話・Web会議での相談は派遣の根拠にできません" in refused(world, case)
    # when the secretariat turns the disaster exception on for the year
    year = programme_for_year(case.fiscal_year)
    year.phone_consultation_allowed = True
    year.save()
    actions.apply_case(world.staff, case.pk)
    case.refresh_from_db()
    assert case.state == State.APPLIED


def test_in_person_consultation_without_a_photo_is_refused(world):
    no_photo = consult(world.staff, world.organisation, world.company, photo=False)
    assert "相談時の写真" in refused(world, world.draft(consultation=no_photo))


def test_an_expert_booked_at_an_overlapping_time_is_refused(world):
    first = world.draft(days=10, hour=10)
    actions.apply_case(world.staff, first.pk)
    other_company, _ = factories.company_with_member()
    other_consultation = consult(world.staff, world.organisation, other_company)
    clash = world.draft(days=10, hour=11, company=other_company, consultation=other_consultation)
    assert "別の派遣の予定があります" in refused(world, clash)
    # back to back is fine
    later = world.draft(days=10, hour=12, company=other_company, consultation=other_consultation)
    actions.apply_case(world.staff, later.pk)


def test_an_expert_not_approved_is_refused(world):
    case = world.draft()
    ExpertProfile.objects.filter(pk=world.expert.pk).update(status=ExpertProfile.Status.SUSPENDED)
    assert "承認を受けていない" in refused(world, case)


def test_an_expert_who_does_not_cover_the_prefecture_is_refused(world):
    case = world.draft()
    world.expert.areas.set(Prefecture.objects.filter(code="27"))
    assert "東京都に対応していません" in refused(world, case)


def test_several_problems_are_all_named_at_once(world):
    case = world.draft(consultation=None)
    world.expert.areas.set(Prefecture.objects.filter(code="27"))
    reason = refused(world, case)
    assert "経営相談の記録がありません" in reason and "対応していません" in reason


def test_a_returned_case_can_be_corrected_and_applied_again(world):
    case = world.case_in(State.RETURNED)
    actions.apply_case(world.staff, case.pk)
    case.refresh_from_db()
    assert case.state == State.APPLIED


def test_a_declined_case_goes_back_to_the_organisation_who_picks_another_expert(world):
    case = world.case_in(State.DECLINED)
    assert case.holder == "organisation"
    other = factories.ExpertFactory()
    data = {name: getattr(case, name) for name in actions.CASE_FIELDS}
    actions.update_case(world.staff, case.pk, {**data, "expert": other})
    actions.apply_case(world.staff, case.pk)
    case.refresh_from_db()
    assert case.state == State.APPLIED and case.expert_id == other.pk
