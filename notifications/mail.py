"""Outgoing mail: each mail is a set of templates, queued in the outbox, sent by the worker.

`queue_mail` is the only way code sends mail. It writes an Outbox row in the
caller's transaction and enqueues delivery after commit, so a rolled-back
action sends nothing and a stopped SMTP server loses nothing.
"""

import base64
import datetime
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
STALE_CLAIM = datetime.timedelta(minutes=10)


def _message_id():
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "yorozu.local"
    return f"<{uuid.uuid4().hex}@{domain}>"


def queue_mail(to, template, context, attachments=()):
    """Render emails/<template>-subject.txt and -body.txt (and -body.html if present) into the outbox.

    attachments: (filename, bytes, mimetype) tuples.
    """
    recipients = [to] if isinstance(to, str) else list(dict.fromkeys(to))
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override("ja"):
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        body_text = render_to_string(f"emails/{template}-body.txt", context)
    message = Outbox.objects.create(
        template=template,
        to=recipients,
        subject=subject[:200],
        body_text=body_text,
        attachments=[
            {"filename": name, "content": base64.b64encode(content).decode(), "mimetype": mimetype}
            for name, content, mimetype in attachments
        ],
        message_id=_message_id(),
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(outbox_id, run_after=None):
    from .tasks import deliver_outbox

    task = deliver_outbox.using(run_after=run_after) if run_after else deliver_outbox
    try:
        task.enqueue(outbox_id)
    except Exception:  # the sweep (`send_outbox`) picks it up; the row is safe in the outbox
        log.exception("could not enqueue outbox %s", outbox_id)


def _claim(outbox_id, now):
    """Atomically take a message for sending, so two workers never send the same mail."""
    stale = now - STALE_CLAIM
    claimable = Outbox.objects.filter(pk=outbox_id, next_attempt_at__lte=now).filter(
        models_q_pending_or_stale(stale)
    )
    return claimable.update(status=Outbox.Status.SENDING, claimed_at=now) == 1


def models_q_pending_or_stale(stale):
    from django.db.models import Q

    return Q(status=Outbox.Status.PENDING) | Q(status=Outbox.Status.SENDING, claimed_at__lt=stale)


def build_message(message, connection=None):
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        headers={"Message-ID": message.message_id},
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for item in message.attachments:
        email.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    return email


def backoff(attempts):
    """1, 2, 4 … minutes, at most six hours."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), 360))


def deliver(outbox_id, now=None):
    """Send one outbox message; on failure schedule a retry. Returns the new status."""
    now = now or timezone.now()
    if not _claim(outbox_id, now):
        return None
    message = Outbox.objects.get(pk=outbox_id)
    try:
        connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
        build_message(message, connection).send()
    except Exception as exc:  # any SMTP/network error: keep the mail and retry later
        message.attempts += 1
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = Outbox.Status.FAILED
        else:
            message.status = Outbox.Status.PENDING
            message.next_attempt_at = now + backoff(message.attempts)
        message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        if message.status == Outbox.Status.PENDING:
            _enqueue(message.pk, run_after=message.next_attempt_at)
        log.warning("mail %s not sent (attempt %s): %s", message.pk, message.attempts, message.last_error)
        return message.status
    message.attempts += 1
    message.status = Outbox.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return message.status


def deliver_due(now=None):
    """Send everything due (the sweep for when the worker was down). Returns counts by status."""
    now = now or timezone.now()
    ids = list(
        Outbox.objects.filter(next_attempt_at__lte=now)
        .filter(models_q_pending_or_stale(now - STALE_CLAIM))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)
    )
    counts = {}
    for outbox_id in ids:
        status = deliver(outbox_id, now)  # the same clock that chose the mail claims it
        if status:
            counts[status] = counts.get(status, 0) + 1
    return counts
