"""The SMTP listener receives mail over a real socket, stores every message, and enforces its limits."""

import os
import smtplib
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from notifications.inbound_smtp import InboundListener, RateLimiter
from notifications.models import InboundMail
from tests.notifications.inbound_builders import build_mail, inbound_media, pasona, subject_for  # noqa: F401
from tests.notifications.test_inbound_command import database_url_for_subprocess
from tests.smtp import free_port
from tests.visits.builders import scheduled_now
from visits.models import TimeReport

pytestmark = pytest.mark.django_db(transaction=True)
TO = "jimukyoku@yorozu.example.jp"


@pytest.fixture
def listener():
    running = InboundListener("127.0.0.1", free_port(), max_bytes=2 * 1024 * 1024, rate=3, per_seconds=600,
                              accept_to=[TO]).start()
    yield running
    running.stop()


def send(listener, raw, sender="sme@example.jp", to=TO):
    with smtplib.SMTP("127.0.0.1", listener.port, timeout=30) as client:
        return client.sendmail(sender, [to], raw)


def test_a_report_sent_over_smtp_is_stored_and_applied(listener, pasona):
    case = scheduled_now(pasona, started_minutes_ago=2)

    send(listener, build_mail(subject_for(case), sender=pasona.sme.email), sender=pasona.sme.email)

    mail = InboundMail.objects.get()
    assert (mail.source, mail.status, mail.case_id, mail.envelope_from) == ("smtp", "matched", case.pk, pasona.sme.email)
    assert TimeReport.objects.filter(case=case, source="mail").exists()


def test_an_unmatched_mail_is_accepted_and_kept(listener, pasona):
    with smtplib.SMTP("127.0.0.1", listener.port, timeout=30) as client:
        client.ehlo()
        client.mail(pasona.sme.email)
        client.rcpt(TO)
        code, answer = client.data(build_mail("お世話になっております", sender=pasona.sme.email, charset="shift_jis"))

    assert code == 250 and b"unmatched" in answer
    assert InboundMail.objects.get().subject == "お世話になっております"


def test_mail_for_another_address_is_refused(listener, db):
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(listener, build_mail("件名"), to="someone-else@example.jp")
    assert not InboundMail.objects.exists()


def test_a_message_over_the_size_limit_is_refused_at_the_door(listener, db):
    big = build_mail("件名", attachments=[("big.jpg", b"\xff\xd8\xff" + b"0" * (3 * 1024 * 1024), "image/jpeg")])

    with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused, smtplib.SMTPServerDisconnected)):
        send(listener, big)
    assert not InboundMail.objects.exists()


def test_a_sender_over_the_rate_limit_is_told_to_retry_later(listener, db):
    for n in range(3):
        send(listener, build_mail(f"件名{n}"), sender="flood@example.jp")

    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        send(listener, build_mail("件名4"), sender="flood@example.jp")

    assert refused.value.smtp_code == 450
    assert InboundMail.objects.count() == 3
    send(listener, build_mail("別の送信者"), sender="other@example.jp")  # others are not affected
    assert InboundMail.objects.count() == 4


def test_the_rate_limit_window_slides():
    now = [0.0]
    limiter = RateLimiter(2, 60, clock=lambda: now[0])

    assert [limiter.allow("a"), limiter.allow("a"), limiter.allow("a")] == [True, True, False]
    now[0] = 61
    assert limiter.allow("a")


def test_a_redelivered_message_over_smtp_is_stored_once(listener, pasona):
    raw = build_mail("お世話になっております", sender=pasona.sme.email, message_id="<same@mail.example.jp>")

    send(listener, raw)
    send(listener, raw)

    assert InboundMail.objects.get().delivery_count == 2


def test_the_mail_listener_command_receives_over_the_network(pasona, tmp_path):
    url = database_url_for_subprocess(tmp_path)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "YOROZU_ALLOW_INSECURE_KEY": "1", "MEDIA_ROOT": str(tmp_path / "media")}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "mail_listener", "--host", "127.0.0.1", "--port", str(port), "--accept-to", TO],
        cwd=Path(settings.BASE_DIR), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process)
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.ehlo()
            client.mail(pasona.sme.email)
            client.rcpt(TO)
            code, answer = client.data(build_mail("お世話になっております", sender=pasona.sme.email))
    finally:
        process.terminate()
        out, err = process.communicate(timeout=30)
    assert code == 250, err.decode()
    assert b"listening on 127.0.0.1" in out
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as copy:
            stored = copy.execute("select subject, status from notifications_inboundmail").fetchall()
    else:
        stored = list(InboundMail.objects.values_list("subject", "status"))
    assert stored == [("お世話になっております", "unmatched")]


def wait_for_port(port, process, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode())
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("the listener did not start")
