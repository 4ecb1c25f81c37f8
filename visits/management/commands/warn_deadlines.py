from django.core.management.base import BaseCommand

from visits.deadlines import send_deadline_warnings


class Command(BaseCommand):
    help = "Warn every party of a case whose evidence deadline is near (once per case), so it does not fall outside the programme."

    def handle(self, *args, **options):
        sent = send_deadline_warnings()
        self.stdout.write(f"deadline warnings queued: {sent}")
