from django.core.management.base import BaseCommand

from dispatch.reminders import send_reminders


class Command(BaseCommand):
    help = "Remind whoever holds a dispatch case up (once per step, after the programme's business days)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"reminders queued: {sent}")
