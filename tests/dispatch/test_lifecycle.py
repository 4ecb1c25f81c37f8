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
