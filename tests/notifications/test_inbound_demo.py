import pytest
from django.core.management import call_command

from notifications.demo_inbound import load_demo_mailin
from notifications.models import InboundMail
from reports.demo import load_demo_reports
from visits.models import CasePhoto, TimeReport

pytestmark = pytest.mark.django_db


def test_demo_mail_gives_matched_and_unmatched_mail_and_loads_twice(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--quiet")
    load_demo_reports()

    assert load_demo_mailin() == 7

    statuses = dict(InboundMail.objects.values_list("message_id", "status"))
    assert [statuses[f"<demo-mailin-{n}@demo.yorozu.jp>"] for n in range(1, 8)] == [
        "matched", "matched", "matched", "rejected", "unmatched", "unmatched", "rejected"]
    assert TimeReport.objects.filter(source="mail", in_window=True).count() == 2
    assert CasePhoto.objects.filter(source="mail").count() == 1
    assert load_demo_mailin() == 0
    assert InboundMail.objects.count() == 7
