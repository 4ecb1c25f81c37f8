"""`manage.py mail_listener`: receive the secretariat's mail over SMTP and ingest each message."""

import signal
import threading

from django.core.management.base import BaseCommand

from notifications.inbound_smtp import MB, InboundListener, defaults


class Command(BaseCommand):
    help = "Run the inbound SMTP listener (legacy time reports, photos, consent forms) until stopped."

    def add_arguments(self, parser):
        d = defaults()
        parser.add_argument("--host", default=d["host"], help="address to listen on (INBOUND_SMTP_HOST)")
        parser.add_argument("--port", type=int, default=d["port"], help="port (INBOUND_SMTP_PORT)")
        parser.add_argument("--max-size-mb", type=int, default=d["max_bytes"] // MB,
                            help="largest message accepted, in MB (INBOUND_MAX_MESSAGE_BYTES)")
        parser.add_argument("--rate", type=int, default=d["rate"], help="messages per sender per window (INBOUND_RATE_LIMIT)")
        parser.add_argument("--per", type=int, default=d["per_seconds"],
                            help="rate-limit window in seconds (INBOUND_RATE_WINDOW_SECONDS)")
        parser.add_argument("--accept-to", action="append", default=None,
                            help="recipient address accepted (repeatable; default SECRETARIAT_EMAIL)")
        parser.add_argument("--any-recipient", action="store_true", help="accept mail for any recipient")

    def handle(self, host, port, max_size_mb, rate, per, accept_to, any_recipient, **options):
        recipients = [] if any_recipient else (accept_to or defaults()["accept_to"])
        listener = InboundListener(host, port, max_size_mb * MB, rate, per, accept_to=recipients).start()
        self.stdout.write(
            f"listening on {host}:{listener.port} (max {max_size_mb} MB, {rate} per {per}s per sender, "
            f"recipients: {', '.join(recipients) or 'any'})"
        )
        self.stdout.flush()
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        try:
            stop.wait()
        finally:
            listener.stop()
            self.stdout.write("stopped")
