"""Nothing is lost and nothing is sent twice when the worker or the mail server dies mid-way."""

import asyncio
import datetime
import threading

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from notifications.mail import deliver, deliver_due, queue_mail
from notifications.models import Outbox
from tests.shared_db import manage, shared_database
from tests.smtp import Recorder, free_port

pytestmark = pytest.mark.django_db(transaction=True)


class StallingRecorder(Recorder):
    """Records delivered mail; while `stall` is set it hangs in the chosen SMTP step (never acknowledges)."""

    def __init__(self, step):
        super().__init__()
        self.step = step
        self.stalled = threading.Event()
        self.stall = True

    async def _maybe_stall(self, step):
        if self.stall and step == self.step:
            self.stalled.set()
            while self.stall:
                await asyncio.sleep(0.05)
            return True
        return False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if await self._maybe_stall("RCPT"):
            return "451 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if await self._maybe_stall("DATA"):
            return "451 try again later"
        return await super().handle_DATA(server, session, envelope)


def _mail():
    queue_mail(["jiro@example.jp"], "verify_email", {"user": {"name": "専門家 次郎"}, "email": "jiro@example.jp", "path": "/v/"})
    return Outbox.objects.get()


def _manage(url, smtp_port, *args, wait=True):
    return manage(url, *args, env={"EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "EMAIL_TIMEOUT": "60"}, wait=wait)


def _status(reader, outbox_id):
    with reader.cursor() as cursor:
        cursor.execute("SELECT status, attempts FROM notifications_outbox WHERE id = %s", [outbox_id])
        return cursor.fetchone()


def test_a_worker_killed_mid_send_loses_nothing_and_the_mail_goes_out_once(tmp_path):
    # given a queued mail and a mail server that is slow to accept the recipient
    message = _mail()
    recorder = StallingRecorder("RCPT")
    port = free_port()
    server = Controller(recorder, hostname="127.0.0.1", port=port)
    server.start()
    url, reader = shared_database(tmp_path)
    try:
        # when the worker is killed (SIGKILL) in the middle of sending it
        worker = _manage(url, port, "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2", wait=False)
        assert recorder.stalled.wait(60), "the worker never reached the mail server"
        worker.kill()
        worker.wait(10)
        recorder.stall = False
        # then the mail is still in the outbox, claimed but not sent
        assert _status(reader, message.pk)[0] == "sending"
        assert recorder.messages == []
        # and once the claim is stale (ten minutes later) the sweep sends it, exactly once
        earlier = reader.ops.adapt_datetimefield_value(timezone.now() - datetime.timedelta(minutes=11))
        with reader.cursor() as cursor:
            cursor.execute(
                "UPDATE notifications_outbox SET claimed_at = %s, next_attempt_at = %s WHERE id = %s",
                [earlier, earlier, message.pk],
            )
        assert _manage(url, port, "send_outbox").returncode == 0
        # a restarted worker finds nothing more to send
        assert _manage(url, port, "db_worker", "--batch", "--no-startup-delay", "--no-reload").returncode == 0
        assert _status(reader, message.pk)[0] == "sent"
        assert len(recorder.messages) == 1
        assert recorder.messages[0]["to"] == ["jiro@example.jp"]
    finally:
        recorder.stall = False
        server.stop()
        if reader is not connection:
            reader.close()


def test_a_mail_server_dying_mid_send_keeps_the_mail_for_a_retry_that_sends_it_once(settings):
    # given a mail server that dies while receiving the message
    message = _mail()
    recorder = StallingRecorder("DATA")
    port = free_port()
    dying = Controller(recorder, hostname="127.0.0.1", port=port)
    dying.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 30
    outcome = {}
    sender = threading.Thread(target=lambda: outcome.update(status=deliver(message.pk)))
    sender.start()
    assert recorder.stalled.wait(30)
    dying.stop()  # the server goes away before acknowledging the message
    recorder.stall = False
    sender.join(30)
    # then the mail is kept for a retry, with the error
    message.refresh_from_db()
    assert outcome["status"] == Outbox.Status.PENDING
    assert message.attempts == 1 and message.last_error
    # when the server is back and the retry is due, it is sent once
    healthy = Recorder()
    back = Controller(healthy, hostname="127.0.0.1", port=port)
    back.start()
    try:
        assert deliver_due(now=message.next_attempt_at) == {Outbox.Status.SENT: 1}
        assert deliver_due(now=message.next_attempt_at) == {}
    finally:
        back.stop()
    assert len(healthy.messages) == 1
    assert recorder.messages == []
