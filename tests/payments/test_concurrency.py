"""Two secretariat members marking one batch paid at the same moment pay it once (row locks)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from core.dates import add_business_days
from dispatch.actions import Refused
from dispatch.models import DispatchEvent, State
from notifications.models import Outbox
from payments import actions
from payments.models import PaymentLine
from tests import factories
from tests.payments.builders import PayWorld

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises whole transactions instead",
    ),
]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
            outcomes[index] = True
        except Refused as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_two_presses_of_mark_paid_at_once_start_one_run_and_pay_once():
    world = PayWorld()
    other = factories.grant(factories.UserFactory(name="事務局二郎"), "secretariat")
    cases = [world.verified(days_ago=12, hour=h) for h in (9, 13)]
    today = datetime.date.today()
    batch = actions.create_batch(world.secretariat, today - datetime.timedelta(days=40), today, add_business_days(today, 2))
    actions.export_batch(world.secretariat, batch.pk)
    outcomes = race(lambda: actions.start_paying(world.secretariat, batch.pk),
                    lambda: actions.start_paying(other, batch.pk))
    assert outcomes.count(True) == 1
    assert "実行中" in str([o for o in outcomes if o is not True][0])
    assert DBTaskResult.objects.filter(task_path="payments.tasks.pay_batch").count() == 1
    # two runs of the task at once (e.g. a retry while the first still works) still pay once
    race(lambda: actions.pay_all(batch.pk, size=1), lambda: actions.pay_all(batch.pk, size=1))
    for case in cases:
        assert DispatchEvent.objects.filter(case=case, to_state=State.PAID).count() == 1
    assert Outbox.objects.filter(template="payment_paid").count() == 1
    batch.refresh_from_db()
    assert (batch.state, batch.paying_done) == ("paid", 2)


def test_two_batches_built_at_once_take_each_case_once():
    world = PayWorld()
    world.verified(days_ago=12)
    today = datetime.date.today()
    build = lambda: actions.create_batch(world.secretariat, today - datetime.timedelta(days=40), today,  # noqa: E731
                                         add_business_days(today, 2))
    outcomes = race(build, build)
    assert outcomes.count(True) == 1
    assert isinstance([o for o in outcomes if o is not True][0], Refused)
    assert PaymentLine.objects.filter(active=True).count() == 1
