import pytest
from django.core.management import call_command

from notifications.demo_inbound import load_demo_mailin
from notifications.models import InboundMail
from reports.demo import load_demo_reports
from visits.models import CasePhoto, TimeReport

pytestmark = pytest.mark.django_db


def test_demo_mail_gives_matched_and_unmatched_mail_and_loads_twice(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--quiet")  # includes the reports demo, then load_demo_mailin()
    assert load_demo_reports() == 0

    statuses = dict(InboundMail.objects.values_list("message_id", "status"))
    assert [statuses[f"<demo-mailin-{n}@demo.yorozu.jp>"] for n in range(1, 8)] == [
        "matched", "matched", "matched", "rejected", "unmatched", "unmatched", "rejected"]
    # the two matched time-report mails (other demos add mail reports of their own)
    matched = InboundMail.objects.filter(message_id__in=["<demo-mailin-1@demo.yorozu.jp>", "<demo-mailin-2@demo.yorozu.jp>"])
    assert all(m.case_id for m in matched)
    assert TimeReport.objects.filter(source="mail", in_window=True, case__in=[m.case_id for m in matched]).count() >= 2
    assert CasePhoto.objects.filter(source="mail").count() == 1
    assert load_demo_mailin() == 0
    assert InboundMail.objects.count() == 7
