"""Every mail waits in the outbox: a stopped SMTP server or worker loses nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from notifications.mail import MAX_ATTEMPTS, deliver_due, queue_mail
from notifications.models import Outbox
from tests.smtp import SMTPServer, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_smtp(settings):
    """SMTP settings pointing at a local port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    return settings.EMAIL_PORT


def queue_reset_mail(to="taro@example.jp"):
    return queue_mail(to, "verify_email", {"user": {"name": "中小太郎"}, "path": "/accounts/verify/x/", "email": to})


def test_mail_waits_while_smtp_is_down_and_is_sent_once_when_it_is_back(dead_smtp):
    # given the SMTP server is down
    message = queue_reset_mail()
    before = timezone.now()
    deliver_due()
    message.refresh_from_db()
    # then the mail is kept for a retry later
    assert message.status == Outbox.Status.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at > before
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()
    # and is not retried before its time
    assert deliver_due() == {}
    # when the server is up on that port and the retry time has come
    server = SMTPServer(port=dead_smtp).start()
    try:
        later = message.next_attempt_at + datetime.timedelta(seconds=1)
        assert deliver_due(now=later) == {"sent": 1}
        assert deliver_due(now=later + datetime.timedelta(hours=1)) == {}
    finally:
        server.stop()
    # then it was delivered exactly once
    assert len(server.messages) == 1
    assert server.messages[0]["to"] == ["taro@example.jp"]
    assert server.messages[0]["message"]["Message-ID"] == message.message_id
    message.refresh_from_db()
    assert message.status == Outbox.Status.SENT and message.attempts == 2 and message.sent_at


def test_mail_gives_up_after_the_last_attempt(dead_smtp):
    message = queue_reset_mail()
    Outbox.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    deliver_due()
    message.refresh_from_db()
    assert message.status == Outbox.Status.FAILED and message.attempts == MAX_ATTEMPTS


def test_rolled_back_action_sends_nothing():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            queue_reset_mail()
            raise RuntimeError("the action failed")
    assert not Outbox.objects.exists()


def test_queued_mail_is_rendered_in_japanese_with_site_links(settings):
    settings.SITE_URL = "https://yorozu.example.jp"
    message = queue_reset_mail()
    assert "メールアドレスの確認" in message.subject
    assert "https://yorozu.example.jp/accounts/verify/x/" in message.body_text


# The worker closes its database connections when it stops, so the test cannot live inside
# one transaction; the root conftest restores the reference data afterwards.
@pytest.mark.django_db(transaction=True)
def test_db_worker_delivers_a_queued_mail(smtp_server):
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        message = queue_reset_mail()  # enqueued when this commits
    assert DBTaskResult.objects.count() == 1
    assert smtp_server.messages == []
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert len(smtp_server.messages) == 1
    message.refresh_from_db()
    assert message.status == Outbox.Status.SENT
    # a second worker run finds nothing to send
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert len(smtp_server.messages) == 1


def test_send_outbox_command_sends_what_is_due(smtp_server):
    queue_reset_mail("a@example.jp")
    queue_reset_mail("b@example.jp")
    call_command("send_outbox")
    assert sorted(m["to"][0] for m in smtp_server.messages) == ["a@example.jp", "b@example.jp"]


def test_attachments_arrive_through_smtp(smtp_server):
    queue_mail(
        "taro@example.jp", "verify_email", {"user": {"name": "x"}, "path": "/", "email": "taro@example.jp"},
        attachments=[("通知書.pdf", b"%PDF-1.4 test", "application/pdf")],
    )
    deliver_due()
    [received] = smtp_server.messages
    [attachment] = list(received["message"].iter_attachments())
    assert attachment.get_filename() == "通知書.pdf"
    assert attachment.get_content() == b"%PDF-1.4 test"


def test_one_mail_to_several_recipients_is_one_row():
    message = queue_mail(["a@example.jp", "b@example.jp", "a@example.jp"], "verify_email",
                         {"user": {"name": "x"}, "path": "/", "email": "a"})
    assert message.to == ["a@example.jp", "b@example.jp"]
