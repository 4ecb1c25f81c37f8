"""What a case's history keeps is written in Japanese, the language of the programme's records, even when
the person acting reads the site in English."""

import pytest
from django.utils import translation

from dispatch.models import DispatchEvent, State
from tests.dispatch.builders import World
from tests.visits.builders import scheduled_now
from visits import actions, codes

pytestmark = pytest.mark.django_db


def test_a_check_out_by_an_english_reader_is_kept_in_japanese():
    world = World()
    case = scheduled_now(world, started_minutes_ago=120)
    with translation.override("en"):
        actions.check_in(world.sme, case.pk, "start", codes.current_code(case.pk, "start")[0])
        actions.check_in(world.sme, case.pk, "end", codes.current_code(case.pk, "end")[0])
    assert DispatchEvent.objects.get(case=case, to_state=State.DONE).reason == "終了時刻の報告（チェックイン（画面））"


def test_a_draft_made_by_an_english_reader_starts_its_history_in_japanese():
    world = World()
    with translation.override("en"):
        case = world.draft()
    assert DispatchEvent.objects.get(case=case, to_state=State.DRAFT).reason == "下書きを作成"
