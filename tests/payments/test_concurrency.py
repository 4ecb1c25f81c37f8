"""Two secretariat members marking one batch paid at the same moment pay it once (row locks)."""

import datetime
import threading

import pytest
from django.db import connection, connections

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


def test_two_mark_paid_at_once_pay_once():
    world = PayWorld()
    other = factories.grant(factories.UserFactory(name="事務局二郎"), "secretariat")
    cases = [world.verified(days_ago=12, hour=h) for h in (9, 13)]
    today = datetime.date.today()
    batch = actions.create_batch(world.secretariat, today - datetime.timedelta(days=40), today, add_business_days(today, 2))
    actions.export_batch(world.secretariat, batch.pk)
    outcomes = race(lambda: actions.mark_batch_paid(world.secretariat, batch.pk),
                    lambda: actions.mark_batch_paid(other, batch.pk))
    assert outcomes.count(True) == 1
    assert "既に支払済み" in str([o for o in outcomes if o is not True][0])
    for case in cases:
        assert DispatchEvent.objects.filter(case=case, to_state=State.PAID).count() == 1
    assert Outbox.objects.filter(template="payment_paid").count() == 1


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
