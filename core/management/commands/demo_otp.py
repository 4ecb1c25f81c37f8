import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current one-time code of a demo user's authenticator (demo data only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        device = TOTPDevice.objects.filter(user__email__iexact=options["email"], name="demo").first()
        if device is None:
            raise CommandError("この利用者にはデモ用の認証アプリが登録されていません。")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():06d}")
