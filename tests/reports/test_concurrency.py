"""One link submitted twice at the same moment certifies once (row locks on PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from directory.models import ExpertStats
from dispatch.models import DispatchEvent, State
from reports import actions
from reports.models import Certification, Evaluation, SupportReport
from tests.dispatch.builders import World
from tests.reports.builders import REPORT, certification, evaluation, mailed_link, reported, visited

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises whole transactions instead",
    ),
]


def race(*calls):
    """Run the calls at once from separate connections; return their outcomes (True or the exception)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
            outcomes[index] = True
        except (actions.Refused, PermissionDenied) as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_two_submissions_of_one_link_at_once_certify_once():
    world = World()
    case = reported(world)
    _, token = mailed_link(world.sme.email)
    outcomes = race(
        lambda: actions.certify_by_link(case.pk, token, certification(case), evaluation(5)),
        lambda: actions.certify_by_link(case.pk, token, certification(case), evaluation(1)),
    )
    assert outcomes.count(True) == 1
    assert "使用済み" in str([o for o in outcomes if o is not True][0])
    assert Certification.objects.filter(case=case).count() == 1 and Evaluation.objects.filter(case=case).count() == 1
    assert DispatchEvent.objects.filter(case=case, to_state=State.CERTIFIED).count() == 1
    assert ExpertStats.objects.get(expert=world.expert).rating_count == 1


def test_the_link_and_the_case_page_at_once_certify_once():
    world = World()
    case = reported(world)
    _, token = mailed_link(world.sme.email)
    outcomes = race(
        lambda: actions.certify_by_link(case.pk, token, certification(case), evaluation(5)),
        lambda: actions.certify(world.sme, case.pk, certification(case), evaluation(2)),
    )
    assert outcomes.count(True) == 1
    assert "入力済み" in str([o for o in outcomes if o is not True][0])
    assert ExpertStats.objects.get(expert=world.expert).rating_count == 1


def test_two_report_submissions_at_once_file_one_report():
    world = World()
    case = visited(world)
    outcomes = race(
        lambda: actions.submit_report(world.expert.user, case.pk, dict(REPORT)),
        lambda: actions.submit_report(world.expert.user, case.pk, dict(REPORT)),
    )
    assert outcomes.count(True) == 1
    assert SupportReport.objects.filter(case=case).count() == 1
    assert DispatchEvent.objects.filter(case=case, to_state=State.REPORTED).count() == 1


def test_a_revision_racing_a_certification_leaves_one_consistent_outcome():
    world = World()
    case = reported(world)
    _, token = mailed_link(world.sme.email)
    outcomes = race(
        lambda: actions.certify_by_link(case.pk, token, certification(case), evaluation(4)),
        lambda: actions.revise_report(world.expert.user, case.pk, {**REPORT, "advice": "修正版の助言"}),
    )
    case.refresh_from_db()
    if outcomes[0] is True:  # certified first: the revision was refused
        assert case.state == State.CERTIFIED and isinstance(outcomes[1], actions.Refused)
        assert SupportReport.objects.get(case=case).advice == REPORT["advice"]
    else:  # revised first: the old link was revoked, so the certification was refused
        assert case.state == State.REPORTED and "新しいリンク" in str(outcomes[0])
        assert SupportReport.objects.get(case=case).advice == "修正版の助言"
