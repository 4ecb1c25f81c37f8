from django.core.management.base import BaseCommand

from governance.outreach import send_surveys


class Command(BaseCommand):
    help = "終了した相談・従事証明済みの派遣から、抽出率に従って満足度調査をメールで送ります（何度実行しても二重送信しません）。"

    def handle(self, *args, **options):
        considered, mailed = send_surveys()
        self.stdout.write(f"surveys: {considered} considered, {mailed} mailed")
