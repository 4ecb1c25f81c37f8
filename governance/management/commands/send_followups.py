from django.core.management.base import BaseCommand

from governance.outreach import send_follow_ups


class Command(BaseCommand):
    help = "課題解決した相談・従事証明済みの派遣の3・6・12か月後に、成果の追跡調査をメールで送ります（二重送信しません）。"

    def handle(self, *args, **options):
        self.stdout.write(f"follow-ups: {send_follow_ups()} mailed")
