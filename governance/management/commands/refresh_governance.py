import time

from django.core.management.base import BaseCommand

from governance.aggregates import refresh


class Command(BaseCommand):
    help = "拠点の月次実績（ダッシュボードの集計）を、前回以降に変わった記録の分だけ再集計します。--full ですべて。"

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="すべての拠点・年度を再集計する")

    def handle(self, *args, **options):
        started = time.monotonic()
        count = refresh(full=options["full"])
        self.stdout.write(f"governance aggregates: {count} centre-years in {time.monotonic() - started:.1f}s")
