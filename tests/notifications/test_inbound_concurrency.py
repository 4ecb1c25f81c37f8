"""The same mail delivered twice at the same moment (two MTA retries) is stored and applied once."""

import threading

import pytest
from django.db import connection, connections

from notifications.inbound import ingest
from notifications.models import InboundMail
from tests.notifications.inbound_builders import build_mail, inbound_media, pasona, subject_for  # noqa: F401
from tests.visits.builders import scheduled_now
from visits.models import TimeReport

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def test_two_simultaneous_deliveries_of_one_message_count_once(pasona):
    case = scheduled_now(pasona, started_minutes_ago=2)
    raw = build_mail(subject_for(case), sender=pasona.sme.email, message_id="<twice@mail.example.jp>")
    barrier = threading.Barrier(2)
    outcomes = []

    def deliver():
        try:
            barrier.wait()
            outcomes.append(ingest(raw).as_dict())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(o["duplicate"] for o in outcomes) == [False, True]
    assert InboundMail.objects.get().delivery_count == 2
    assert TimeReport.objects.filter(case=case).count() == 1


def test_two_different_start_mails_at_once_record_one_start(pasona):
    case = scheduled_now(pasona, started_minutes_ago=2)
    mails = [build_mail(subject_for(case), sender=pasona.sme.email) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def deliver(raw):
        try:
            barrier.wait()
            outcomes.append(ingest(raw).as_dict()["status"])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(raw,)) for raw in mails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes) == ["matched", "rejected"]
    assert TimeReport.objects.filter(case=case).count() == 1
    assert InboundMail.objects.count() == 2
