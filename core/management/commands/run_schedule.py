import time

from django.core.management.base import BaseCommand

from core.schedule import available_jobs, run_due


class Command(BaseCommand):
    help = "Run the periodic jobs (reminders, escalation, statistics…) when they are due; loops unless --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the due jobs once and exit (for cron)")
        parser.add_argument("--interval", type=int, default=60, help="seconds between checks (default 60)")

    def handle(self, *args, once=False, interval=60, **options):
        self.stdout.write("定期ジョブ: " + ", ".join(f"{job.name} ({job.every})" for job in available_jobs()))
        while True:
            for name, ok in run_due().items():
                self.stdout.write(f"{name}: {'ok' if ok else 'FAILED'}")
            if once:
                return
            time.sleep(interval)
