from django.core.management.base import BaseCommand

from desk.notices import send_reminders


class Command(BaseCommand):
    help = "Remind the SME side and the consultant of every online-desk booking that starts tomorrow (run daily)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"desk reminders queued: {sent}")
