from django.core.management.base import BaseCommand

from desk.notices import send_gap_mails


class Command(BaseCommand):
    help = "Mail each desk's administrators next week's hours below the minimum number of consultants (run weekly)."

    def handle(self, *args, **options):
        sent = send_gap_mails()
        self.stdout.write(f"desk gap mails queued: {sent}")
