"""Queue again the task of payment batches stuck in "paying" (the worker died or the queue lost it):
`manage.py resume_payments`. Run it every few minutes from the scheduler; a batch still progressing
is left alone, and the task continues where the lost run stopped."""

from django.core.management.base import BaseCommand

from payments import actions


class Command(BaseCommand):
    help = "Queue again the mark-paid task of payment batches whose run stopped making progress."

    def handle(self, *args, **options):
        queued = actions.resume_stalled()
        self.stdout.write(f"{queued} batch(es) queued again")
