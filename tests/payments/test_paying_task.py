"""支払済みにする runs as a background task on the real database task backend (`manage.py db_worker`):
the request returns at once, the worker pays the cases in chunks, and a run killed midway continues
where it stopped when queued again, paying each case and mailing each expert once."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core.dates import add_business_days
from dispatch.models import DispatchCase, DispatchEvent, State
from notifications.models import Outbox
from payments import actions
from payments.models import PaymentBatch, Remittance
from tests.payments.builders import PayWorld, paid_expert

# The worker closes its database connections when it stops, so these tests cannot live inside one
# transaction; the root conftest restores the reference data afterwards.
pytestmark = pytest.mark.django_db(transaction=True)

PAY_TASK = "payments.tasks.pay_batch"


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def exported_batch(experts=3, cases_each=2):
    """An exported batch of `experts` experts with `cases_each` verified cases each."""
    world = PayWorld()
    people = [world.expert] + [paid_expert(holder=f"センモン　{'イロハニホヘ'[i]}") for i in range(experts - 1)]
    for index, expert in enumerate(people):
        for n in range(cases_each):
            world.verified(days_ago=12 - n, hour=9 + index, expert=expert, company=world.new_company())
    today = datetime.date.today()
    batch = actions.create_batch(world.secretariat, today - datetime.timedelta(days=40), today, add_business_days(today, 2))
    actions.export_batch(world.secretariat, batch.pk)
    return world, batch


def paid_events(batch):
    cases = DispatchCase.objects.filter(payment_lines__remittance__batch=batch)
    return list(DispatchEvent.objects.filter(case__in=cases, to_state=State.PAID).values_list("case_id", flat=True))


def test_pressing_the_button_queues_the_task_and_the_worker_pays_every_case_and_mails_each_expert(
        login, smtp_server):
    world, batch = exported_batch()
    client = login(world.secretariat)
    page = client.post(reverse("payments:batch_paid", args=[batch.pk]), follow=True).content.decode()
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.State.PAYING and "派遣6件のうち0件を支払済みにしました" in page
    assert DBTaskResult.objects.filter(task_path=PAY_TASK).count() == 1
    run_worker()
    batch.refresh_from_db()
    assert (batch.state, batch.paying_done, batch.paid_by) == (PaymentBatch.State.PAID, 6, world.secretariat)
    assert batch.paid_at is not None
    assert sorted(paid_events(batch)) == sorted(set(paid_events(batch))) and len(paid_events(batch)) == 6
    assert not Remittance.objects.filter(batch=batch, paid_on=None).exists()
    # one mail per expert, sent through the outbox by the same worker
    assert sorted(m["to"][0] for m in smtp_server.messages) == sorted(
        r.expert.user.email for r in Remittance.objects.filter(batch=batch).select_related("expert__user"))
    page = client.get(reverse("payments:batch_detail", args=[batch.pk])).content.decode()
    assert "badge-paid" in page and 'id="paying"' not in page


def test_pressing_twice_does_not_start_a_second_run(login):
    world, batch = exported_batch(experts=1, cases_each=1)
    client = login(world.secretariat)
    client.post(reverse("payments:batch_paid", args=[batch.pk]))
    page = client.post(reverse("payments:batch_paid", args=[batch.pk]), follow=True).content.decode()
    assert "支払済みにする処理を実行中です（0／1件済み）" in page
    assert DBTaskResult.objects.filter(task_path=PAY_TASK).count() == 1


def test_a_run_killed_midway_continues_where_it_stopped_and_pays_and_mails_once(login, smtp_server):
    world, batch = exported_batch(experts=3, cases_each=2)
    login(world.secretariat).post(reverse("payments:batch_paid", args=[batch.pk]))
    # a worker takes the task, commits the first chunk (the first expert's two cases) and is killed
    task_result = DBTaskResult.objects.get(task_path=PAY_TASK)
    task_result.claim("killed-worker")
    assert actions.pay_next_chunk(batch.pk, size=2) is True
    batch.refresh_from_db()
    assert (batch.state, batch.paying_done) == (PaymentBatch.State.PAYING, 2)
    assert len(paid_events(batch)) == 2
    assert Outbox.objects.filter(template="payment_paid").count() == 1  # the first expert is fully paid
    # nothing runs the dead task; while it could still be alive, the sweep leaves it alone
    run_worker()
    call_command("resume_payments")
    assert DBTaskResult.objects.filter(task_path=PAY_TASK).count() == 1
    # minutes later the batch has made no progress: the page says so and the sweep queues it again
    PaymentBatch.objects.filter(pk=batch.pk).update(
        paying_progress_at=batch.paying_progress_at - actions.PAYING_STALLED_AFTER - datetime.timedelta(minutes=1))
    page = login(world.secretariat).get(reverse("payments:batch_detail", args=[batch.pk])).content.decode()
    assert "処理がしばらく進んでいません" in page and "処理を再開する" in page
    call_command("resume_payments")
    assert DBTaskResult.objects.filter(task_path=PAY_TASK).count() == 2
    run_worker()
    batch.refresh_from_db()
    assert (batch.state, batch.paying_done) == (PaymentBatch.State.PAID, 6)
    events = paid_events(batch)
    assert len(events) == 6 and len(set(events)) == 6  # each case paid once
    mails = Outbox.objects.filter(template="payment_paid")
    assert mails.count() == 3 and len({tuple(m.to) for m in mails}) == 3  # each expert mailed once
    assert len(smtp_server.messages) == 3


def test_the_secretariat_resumes_a_stalled_run_with_the_button(login):
    world, batch = exported_batch(experts=2, cases_each=1)
    client = login(world.secretariat)
    client.post(reverse("payments:batch_paid", args=[batch.pk]))
    DBTaskResult.objects.filter(task_path=PAY_TASK).get().claim("killed-worker")  # lost with its worker
    PaymentBatch.objects.filter(pk=batch.pk).update(paying_progress_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    page = client.post(reverse("payments:batch_paid", args=[batch.pk]), follow=True).content.decode()
    assert "支払済みにする処理を再開しました" in page
    run_worker()
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.State.PAID and len(paid_events(batch)) == 2


def test_a_case_that_stopped_being_payable_stops_the_run_with_the_reason_on_the_page(login):
    world, batch = exported_batch(experts=2, cases_each=1)
    client = login(world.secretariat)
    client.post(reverse("payments:batch_paid", args=[batch.pk]))
    odd = DispatchCase.objects.filter(payment_lines__remittance__batch=batch).order_by("-pk").first()
    DispatchCase.objects.filter(pk=odd.pk).update(state=State.CERTIFIED)  # e.g. changed by hand in the database
    run_worker()
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.State.PAYING and batch.paying_done == 1
    page = client.get(reverse("payments:batch_detail", args=[batch.pk])).content.decode()
    assert "次の理由で処理を止めました" in page and f"派遣#{odd.pk}は「" in page
    assert Outbox.objects.filter(template="payment_paid").count() == 1  # only the expert whose cases are paid
