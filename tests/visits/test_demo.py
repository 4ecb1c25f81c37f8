import pytest
from django.core.management import call_command

from dispatch.models import State
from visits.demo import MARK, load_demo_visits
from visits.evidence import evidence_for
from visits.models import TimeReport

pytestmark = pytest.mark.django_db


def test_demo_visits_show_each_evidence_situation_and_load_twice():
    call_command("load_demo", "--quiet")  # includes load_demo_visits()
    assert load_demo_visits() == 0  # a second run adds nothing

    from dispatch.models import DispatchCase

    cases = {c.request_text.removeprefix(MARK)[:6]: c for c in DispatchCase.objects.filter(request_text__startswith=MARK)}
    today, certified, late = cases["ホームページ"], cases["見積りの原価"], cases["予約サイトの"]
    assert today.state == State.SCHEDULED
    assert certified.state == State.CERTIFIED and evidence_for(certified).complete
    assert late.state == State.DONE and evidence_for(late).declaration_required
    assert TimeReport.objects.filter(case=late, review="pending").exists()
