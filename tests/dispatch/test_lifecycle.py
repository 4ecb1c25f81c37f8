import pytest

from core.models import AuditEvent
from dispatch import actions
from dispatch.models import DispatchEvent, State

pytestmark = pytest.mark.django_db


def test_a_case_goes_from_draft_to_scheduled_with_one_event_per_step(world):
    # given a draft
    case = world.draft()
    # when the organisation applies, the secretariat approves and the expert accepts
    actions.apply_case(world.staff, case.pk)
    actions.approve_case(world.secretariat, case.pk)
    actions.accept_case(world.expert.user, case.pk)
    # then the case is scheduled and the timeline says who moved it, from where, to where
    case.refresh_from_db()
    assert case.state == State.SCHEDULED
    steps = list(DispatchEvent.objects.filter(case=case).values_list("from_state", "to_state", "actor_id"))
    assert steps == [
        ("", State.DRAFT, world.staff.pk),
        (State.DRAFT, State.APPLIED, world.staff.pk),
        (State.APPLIED, State.APPROVED, world.secretariat.pk),
        (State.APPROVED, State.SCHEDULED, world.expert.user.pk),
    ]
    assert AuditEvent.objects.filter(object_type="dispatch.dispatchcase", object_id=str(case.pk), action="dispatch.scheduled").exists()


def test_applying_counts_in_the_organisations_measured_dispatches(world):
    from intake.models import OrganisationStats

    actions.apply_case(world.staff, world.draft().pk)
    assert OrganisationStats.objects.get(organisation=world.organisation).dispatches_applied == 1


def test_a_suspended_expert_cannot_accept(world):
    from directory.models import ExpertProfile

    case = world.case_in(State.APPROVED)
    ExpertProfile.objects.filter(pk=world.expert.pk).update(status=ExpertProfile.Status.SUSPENDED)
    with pytest.raises(actions.Refused):
        actions.accept_case(world.expert.user, case.pk)
    case.refresh_from_db()
    assert case.state == State.APPROVED


def test_the_consultation_page_lists_its_dispatches(login, world):
    from django.urls import reverse

    case = world.case_in(State.APPLIED)
    page = login(world.staff).get(reverse("consultations:detail", args=[world.consultation.pk])).content.decode()
    assert reverse("dispatch:detail", args=[case.pk]) in page
    assert reverse("dispatch:new") + f"?consultation={world.consultation.pk}" in page
    # the SME member sees the consultation and its cases too
    assert login(world.sme).get(reverse("consultations:detail", args=[world.consultation.pk])).status_code == 200
