"""The SMTP listener (aiosmtpd) that receives the secretariat's mail over the network.

Every accepted message goes through `inbound.ingest` (stored whole first). The SMTP
answer only says whether the message was stored: a mail that cannot be matched is
still accepted (250) and waits in the inbox. Limits answer with temporary codes so
that a legitimate sender's server retries instead of losing the mail.
"""

import asyncio
import collections
import concurrent.futures
import logging
import threading
import time

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import close_old_connections

from .inbound import ingest
from .models import InboundMail

log = logging.getLogger(__name__)
MB = 1024 * 1024


def defaults():
    return {
        "host": getattr(settings, "INBOUND_SMTP_HOST", "127.0.0.1"),
        "port": getattr(settings, "INBOUND_SMTP_PORT", 2525),
        "max_bytes": getattr(settings, "INBOUND_MAX_MESSAGE_BYTES", 40 * MB),
        "rate": getattr(settings, "INBOUND_RATE_LIMIT", 30),
        "per_seconds": getattr(settings, "INBOUND_RATE_WINDOW_SECONDS", 600),
        "accept_to": [a for a in [getattr(settings, "SECRETARIAT_EMAIL", "")] if a],
    }


class RateLimiter:
    """At most `rate` messages per sender in any `per_seconds` window (sliding)."""

    def __init__(self, rate, per_seconds, clock=time.monotonic):
        self.rate, self.per_seconds, self.clock = rate, per_seconds, clock
        self.seen = collections.defaultdict(collections.deque)
        self.lock = threading.Lock()

    def allow(self, sender):
        now = self.clock()
        with self.lock:
            stamps = self.seen[sender]
            while stamps and stamps[0] <= now - self.per_seconds:
                stamps.popleft()
            if len(stamps) >= self.rate:
                return False
            stamps.append(now)
            if len(self.seen) > 10_000:  # forget idle senders so memory stays bounded
                for key in [k for k, v in self.seen.items() if not v or v[-1] <= now - self.per_seconds]:
                    del self.seen[key]
            return True


class InboundHandler:
    def __init__(self, accept_to=(), rate=30, per_seconds=600):
        self.accept_to = {address.lower() for address in accept_to}
        self.limiter = RateLimiter(rate, per_seconds)
        # One worker: database writes stay serial (SQLite) and off the event loop.
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if not self.limiter.allow((address or "").lower()):
            log.warning("rate limit: %s from %s", address, session.peer)
            return "450 4.7.1 Too many messages from this sender, try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.accept_to and address.lower() not in self.accept_to:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(
                self.executor, self._ingest, raw, envelope.mail_from or "", list(envelope.rcpt_tos)
            )
        except Exception:  # database down or similar: the sender's server keeps the mail and retries
            log.exception("inbound mail from %s could not be stored", envelope.mail_from)
            return "451 4.3.0 Could not store the message, try again later"
        result = outcome.as_dict()
        return f"250 2.0.0 Stored as #{result['mail']} ({result['status']})"

    @staticmethod
    def _ingest(raw, mail_from, rcpt_tos):
        close_old_connections()
        try:
            return ingest(raw, source=InboundMail.Source.SMTP, envelope_from=mail_from, envelope_to=rcpt_tos)
        finally:
            close_old_connections()

    def close(self):
        self.executor.shutdown(wait=True)


class InboundListener:
    """Start/stop the listener in a background thread (used by the command and the tests)."""

    def __init__(self, host, port, max_bytes, rate, per_seconds, accept_to=()):
        self.handler = InboundHandler(accept_to=accept_to, rate=rate, per_seconds=per_seconds)
        self.controller = Controller(
            self.handler, hostname=host, port=port, data_size_limit=max_bytes,
            server_hostname=getattr(settings, "INBOUND_SMTP_HOSTNAME", None), ident="yorozu inbound",
        )

    @property
    def port(self):
        return self.controller.port

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()
        self.handler.close()
