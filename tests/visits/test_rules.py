import pytest
from django.urls import reverse

from core.models import AuditEvent
from visits import actions

pytestmark = pytest.mark.django_db


def test_the_secretariat_sets_the_deadline_days_of_a_year(login, world):
    login(world.secretariat).post(reverse("visits:rules_year", args=[2026]), {"evidence_deadline_days": 45, "warn_days_before": 10})

    rules = actions.rules_for_year(2026)
    assert (rules.evidence_deadline_days, rules.warn_days_before) == (45, 10)
    assert AuditEvent.objects.filter(action="visits.rules_updated").exists()


def test_warning_days_longer_than_the_deadline_are_refused(login, world):
    response = login(world.secretariat).post(reverse("visits:rules_year", args=[2026]),
                                             {"evidence_deadline_days": 10, "warn_days_before": 10})

    assert "短くしてください" in response.content.decode()
    assert actions.rules_for_year(2026).evidence_deadline_days == 30


def test_only_the_secretariat_sees_the_rules(login, world):
    assert login(world.staff).get(reverse("visits:rules")).status_code == 404
