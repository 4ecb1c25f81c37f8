import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import Role
from intake.actions import escalate_requests
from intake.models import ExpertRequest, RequestEvent
from notifications.models import Outbox
from tests import factories

from .conftest import jst

pytestmark = pytest.mark.django_db

# Submitted Friday 2026-11-20 → due Wednesday 11-25 end of day (11-23 is a holiday);
# the bureau is told after the 4th business day (Friday 11-27), the request expires after the 10th.
SUBMITTED = jst(2026, 11, 20, 10, 0)


@pytest.fixture
def overdue_setup(make_request, chief, coordinator, bureau_user):
    return make_request(now=SUBMITTED)


def _escalation_mails():
    return [m.to for m in Outbox.objects.filter(template="intake_escalated").order_by("pk")]


def test_nothing_happens_before_the_deadline(overdue_setup):
    assert escalate_requests(now=jst(2026, 11, 25, 23, 0)) == {}
    assert overdue_setup.events.count() == 1


def test_unanswered_request_goes_to_the_chief_then_the_bureau_once_each(overdue_setup, chief, bureau_user, sme):
    req = overdue_setup
    # after the deadline: the chief coordinator, once however often the command runs
    assert escalate_requests(now=jst(2026, 11, 26, 9, 0)) == {"escalated_chief": 1}
    assert escalate_requests(now=jst(2026, 11, 26, 9, 15)) == {}
    assert _escalation_mails() == [[chief.email]]
    # two business days later still unanswered: the regional bureau, once
    assert escalate_requests(now=jst(2026, 11, 30, 9, 0)) == {"escalated_bureau": 1}
    assert escalate_requests(now=jst(2026, 11, 30, 9, 15)) == {}
    assert _escalation_mails() == [[chief.email], [bureau_user.email]]
    req.refresh_from_db()
    assert req.escalation == ExpertRequest.Escalation.BUREAU and req.state == ExpertRequest.State.SUBMITTED
    kinds = list(req.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "escalated_chief", "escalated_bureau"]
    # and the SME was told each time that its request is being chased
    assert Outbox.objects.filter(template="intake_delayed", to=[sme.email]).count() == 2
    assert "経済産業局" in req.next_actor()


def test_escalation_command_is_idempotent_and_skips_answered_requests(make_request, chief, coordinator):
    from intake import actions

    long_ago = timezone.now() - datetime.timedelta(days=40)
    answered = make_request(now=long_ago)
    actions.decline_request(coordinator, answered.pk, "対象外です", now=long_ago + datetime.timedelta(hours=1))
    open_one = make_request(now=long_ago)
    call_command("escalate_requests")
    call_command("escalate_requests")
    assert not answered.events.filter(kind__startswith="escalated").exists()
    # forty days unanswered: every step exactly once, however often the command runs
    kinds = list(open_one.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "escalated_chief", "escalated_bureau", "expired"]


def test_request_unanswered_for_ten_business_days_expires_and_the_sme_is_told(overdue_setup, sme):
    counts = escalate_requests(now=jst(2026, 12, 10, 9, 0))
    assert counts == {"escalated_chief": 1, "escalated_bureau": 1, "expired": 1}
    overdue_setup.refresh_from_db()
    assert overdue_setup.state == ExpertRequest.State.EXPIRED
    assert Outbox.objects.filter(template="intake_expired", to=[sme.email]).exists()
    assert escalate_requests(now=jst(2026, 12, 11, 9, 0)) == {}


def test_organisation_without_a_chief_is_escalated_to_its_representative_address(make_request, organisation):
    organisation.email = "info@yorozu-tokyo.example.jp"
    organisation.save(update_fields=["email"])
    factories.grant(factories.UserFactory(), Role.COORDINATOR, organisation=organisation)
    req = make_request(now=SUBMITTED)
    escalate_requests(now=jst(2026, 11, 26, 9, 0))
    assert _escalation_mails() == [["info@yorozu-tokyo.example.jp"]]
    assert req.events.filter(kind=RequestEvent.Kind.ESCALATED_CHIEF).count() == 1
