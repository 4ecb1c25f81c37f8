import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.roles import Role
from intake import actions
from intake.models import ExpertRequest, RequestEvent
from tests import factories

# Row locks are what this test is about: SQLite has no SELECT … FOR UPDATE (it locks the whole file
# and its in-memory test database is not shared between threads), so it only runs on PostgreSQL.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite", reason="needs row locks (select_for_update): PostgreSQL only"),
]


def test_concurrent_accept_and_decline_by_two_staff_leave_exactly_one_outcome(make_request, organisation):
    req = make_request()
    alice = factories.grant(factories.UserFactory(name="相談員A"), Role.COORDINATOR, organisation=organisation)
    bob = factories.grant(factories.UserFactory(name="相談員B"), Role.COORDINATOR, organisation=organisation)
    start = threading.Barrier(2)
    results = {}

    def run(name, call):
        start.wait()
        try:
            call()
            results[name] = "done"
        except actions.IntakeError:
            results[name] = "refused"
        finally:
            connections.close_all()

    appointment = timezone.now() + datetime.timedelta(days=5)
    threads = [
        threading.Thread(target=run, args=("accept", lambda: actions.accept_request(alice, req.pk, appointment, "phone", "03-1234-5678"))),
        threading.Thread(target=run, args=("decline", lambda: actions.decline_request(bob, req.pk, "担当者不在のため"))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(results.values()) == ["done", "refused"]
    req.refresh_from_db()
    outcomes = RequestEvent.objects.filter(request=req, kind__in=["accepted", "declined"])
    assert outcomes.count() == 1
    assert req.state == outcomes.get().kind
    assert req.state in (ExpertRequest.State.ACCEPTED, ExpertRequest.State.DECLINED)
