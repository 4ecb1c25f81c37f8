from django.core.management.base import BaseCommand

from notifications.mail import deliver_due


class Command(BaseCommand):
    help = "Send every outbox mail that is due (also retries failed ones whose time has come)."

    def handle(self, *args, **options):
        counts = deliver_due()
        self.stdout.write(", ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "nothing due")
