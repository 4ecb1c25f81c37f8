"""Run the pre-payment checks on every verified case not yet in a batch (periodic; idempotent)."""

from django.core.management.base import BaseCommand

from dispatch.models import DispatchCase, State
from payments import anomalies


class Command(BaseCommand):
    help = "Check verified cases for overlapping visits, impossible travel, frequent pairs and copied reports."

    def handle(self, *args, **options):
        ids = list(DispatchCase.objects.filter(state=State.VERIFIED).exclude(payment_lines__active=True)
                   .values_list("pk", flat=True))
        open_flags = anomalies.scan(ids)
        self.stdout.write(f"checked {len(ids)} cases; {open_flags} open flags")
