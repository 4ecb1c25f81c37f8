from django.core.management.base import BaseCommand

from reports.reminders import send_report_reminders


class Command(BaseCommand):
    help = "Remind experts to file the support report and SME members to certify (once per case and step)."

    def handle(self, *args, **options):
        experts, smes = send_report_reminders()
        self.stdout.write(f"report reminders queued: {experts}; certification reminders queued: {smes}")
