import pytest
from django.core.management import call_command

from dispatch.models import DispatchCase, State

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_case_in_every_state_before_the_visit_and_loads_twice(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--quiet")
    states = set(DispatchCase.objects.values_list("state", flat=True))
    expected = {State.DRAFT, State.APPLIED, State.RETURNED, State.APPROVED, State.DECLINED,
                State.SCHEDULED, State.CANCELLED, State.NO_SHOW}
    assert states == expected
    count = DispatchCase.objects.count()
    call_command("load_demo", "--quiet")
    assert DispatchCase.objects.count() == count
