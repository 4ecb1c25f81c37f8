import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import ExpertStats
from dispatch.models import DispatchCase, State
from reports.demo import load_demo_reports
from reports.models import Certification, Evaluation, SupportReport

pytestmark = pytest.mark.django_db


def test_demo_reports_give_a_reported_and_a_certified_case_and_load_twice(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--quiet")  # includes load_demo_reports()
    reported = DispatchCase.objects.get(state=State.REPORTED)
    certified = Certification.objects.get(certified_by__email="sme2@demo.yorozu.jp").case
    assert certified.state == State.CERTIFIED
    assert reported.company.memberships.filter(user__email="sme2@demo.yorozu.jp").exists()
    assert "施工事例" in SupportReport.objects.get(case=reported).advice
    assert Certification.objects.get(case=certified).certified_by.email == "sme2@demo.yorozu.jp"
    assert Evaluation.objects.get(case=certified).satisfaction == 5
    assert ExpertStats.objects.get(expert=certified.expert).rating_count == 1
    assert certified.ends_at < Certification.objects.get(case=certified).certified_at < timezone.now()
    reports = SupportReport.objects.count()
    assert load_demo_reports() == 0
    assert SupportReport.objects.count() == reports
