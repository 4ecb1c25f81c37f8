"""`manage.py ingest_mail PATH` (PATH `-` = stdin): one RFC 5322 message in, one JSON line out.

Exit status: 0 matched or unmatched (kept for the secretariat), 1 rejected (kept too),
2 nothing to read, 75 (EX_TEMPFAIL) the database could not store it: an MTA piping mail
here (Postfix `pipe`, procmail) then keeps the message and retries.
"""

import json
import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from notifications.inbound import ingest
from notifications.models import InboundMail

EX_TEMPFAIL = 75
MAX_BYTES = 64 * 1024 * 1024


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = "Read one mail (a file, or - for standard input), store it and apply it; print one JSON line."

    def add_arguments(self, parser):
        parser.add_argument("path", help="an .eml file, or - for standard input")
        parser.add_argument("--sender", default="", help="the envelope sender, when the MTA passes it")
        parser.add_argument("--recipient", action="append", default=[], help="the envelope recipient(s)")

    def handle(self, path, sender="", recipient=(), **options):
        try:
            raw = self._read(path, options.get("stdin") or sys.stdin)
        except OSError as exc:
            self._finish({"status": "rejected", "case": None, "kind": None,
                          "reason": f"メールを読み込めませんでした（{exc.strerror or exc}）。"}, 2)
        if not raw.strip():
            self._finish({"status": "rejected", "case": None, "kind": None, "reason": "メールが空です。"}, 2)
        try:
            outcome = ingest(raw, source=InboundMail.Source.FILE, envelope_from=sender, envelope_to=recipient)
        except DatabaseError as exc:
            self.stderr.write(f"database error: {exc}")
            self._finish({"status": "rejected", "case": None, "kind": None,
                          "reason": "一時的な障害のためメールを保存できませんでした。再送してください。"}, EX_TEMPFAIL)
        result = outcome.as_dict()
        self._finish(result, 1 if result["status"] == InboundMail.Status.REJECTED else 0)

    def _read(self, path, stdin):
        if path == "-":
            data = getattr(stdin, "buffer", stdin).read(MAX_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        if isinstance(data, str):  # a text stream handed in by a caller (call_command(stdin=StringIO))
            data = data.encode("utf-8", errors="surrogateescape")
        if len(data) > MAX_BYTES:
            raise OSError(f"{MAX_BYTES // (1024 * 1024)}MBを超えるメールは取り込めません")
        return data

    def _finish(self, result, code):
        self.stdout.write(json.dumps(result, ensure_ascii=False))
        if code:
            sys.exit(code)
