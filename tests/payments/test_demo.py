import datetime

import pytest
from django.core.management import call_command

from dispatch.models import State
from payments.demo import load_demo_payments
from payments.models import AnomalyFlag, PaymentBatch

pytestmark = pytest.mark.django_db


def test_demo_payments_have_a_paid_batch_an_open_one_and_a_flagged_case_and_load_twice(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--quiet")
    load_demo_payments()  # 2 batches, or 0 when load_demo already loaded them
    paid = PaymentBatch.objects.get(state=PaymentBatch.State.PAID)
    assert paid.transfer_date <= datetime.date.today()  # paid last month (or today at the latest)
    assert {c.state for r in paid.remittances.all() for c in [line.case for line in r.lines.all()]} == {State.PAID}
    assert PaymentBatch.objects.filter(state=PaymentBatch.State.OPEN).count() == 1
    assert set(AnomalyFlag.objects.values_list("kind", flat=True)) >= {"travel", "text"}
    assert load_demo_payments() == 0
