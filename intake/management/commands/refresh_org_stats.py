"""Run nightly: recompute every organisation's responsiveness row read by the directory."""

from django.core.management.base import BaseCommand

from intake.stats import refresh_org_stats


class Command(BaseCommand):
    help = "Recompute support organisations' measured responsiveness (median first response, share in time)."

    def handle(self, *args, **options):
        written = refresh_org_stats()
        self.stdout.write(f"refreshed {written} organisations")
