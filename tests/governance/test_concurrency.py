"""Two runs of the periodic mailers at once still mail each SME once; two answers on one link record one."""

import re
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from governance import actions, outreach
from governance.models import Survey
from notifications.models import Outbox
from tests.governance.builders import Centre

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"),
]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 (the test inspects what each side got)
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_two_survey_runs_at_once_mail_each_sme_once():
    gov = Centre()
    from core.dates import fiscal_year
    from governance.years import governance_year_for

    year = governance_year_for(fiscal_year())
    year.survey_sample_percent = 100
    year.save()
    race(outreach.send_surveys, outreach.send_surveys)
    assert Survey.objects.count() == 1
    assert Outbox.objects.filter(template="governance_survey").count() == 1
    assert gov


def test_two_answers_on_one_link_record_one(client):
    gov = Centre()
    from core.dates import fiscal_year
    from governance.years import governance_year_for

    year = governance_year_for(fiscal_year())
    year.survey_sample_percent = 100
    year.save()
    outreach.send_surveys()
    token = re.search(r"/governance/survey/(\S+)/", Outbox.objects.get().body_text).group(1)
    data = {"satisfaction": 5, "usefulness": 5, "would_recommend": True}
    outcomes = race(lambda: actions.answer_survey(token, data), lambda: actions.answer_survey(token, data | {"satisfaction": 1}))
    assert sum(isinstance(o, actions.LinkUnusable) for o in outcomes) == 1
    assert Survey.objects.get().responded_at is not None
    assert reverse("governance:survey", args=[token])
