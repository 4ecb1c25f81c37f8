"""Run periodically (e.g. every 15 minutes): unanswered requests go to the chief, then the bureau, then expire."""

from django.core.management.base import BaseCommand

from intake.actions import escalate_requests


class Command(BaseCommand):
    help = "Escalate expert requests not answered within their business-day deadline (idempotent)."

    def handle(self, *args, **options):
        counts = escalate_requests()
        total = sum(counts.values())
        detail = ", ".join(f"{kind}={n}" for kind, n in sorted(counts.items())) or "nothing due"
        self.stdout.write(f"escalated {total}: {detail}")
