"""Choice labels (get_FOO_display) are built once per field and language (core/choices.py): every model's
labels read exactly as Django's own way gives them, in Japanese and in English."""

import pytest
from django.apps import apps
from django.utils import translation

from core import choices
from dispatch.models import DispatchCase


def _choice_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices and f"get_{field.name}_display" in model.__dict__:
                yield model, field


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_choice_label_reads_as_djangos_own(language):
    checked = 0
    with translation.override(language):
        for model, field in _choice_fields():
            for value, _label in field.flatchoices:
                instance = model(**{field.attname: value})
                ours = getattr(instance, f"get_{field.name}_display")()
                assert ours == choices._django_get_FIELD_display(instance, field), (model, field.name, value)
                checked += 1
    assert checked > 100  # states, kinds, roles, channels of every app


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert DispatchCase(state="unknown").get_state_display() == "unknown"


def test_the_label_follows_the_language():
    case = DispatchCase(state="scheduled")
    assert case.get_state_display() == "日程確定"
    with translation.override("en"):
        assert case.get_state_display() == "Scheduled"
