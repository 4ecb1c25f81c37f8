import pytest
from django.core.management import call_command

from dispatch.models import DispatchCase, State

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_case_in_every_state_and_loads_twice(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--quiet")
    states = set(DispatchCase.objects.values_list("state", flat=True))
    # every state but 事業対象外 (a case past its evidence deadline, decided by the secretariat)
    assert states == set(State.values) - {State.OUTSIDE}
    count = DispatchCase.objects.count()
    call_command("load_demo", "--quiet")
    assert DispatchCase.objects.count() == count
