"""Write a batch's 全銀協 総合振込 file: `manage.py export_zengin BATCH_ID --output FILE`.

The same bytes as the download on the batch page; the file is written atomically (a temporary
file beside it, then renamed), inside the transaction that records the export."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from dispatch.actions import Refused
from payments import actions
from payments.models import PaymentBatch
from payments.zengin import write_atomically


class Command(BaseCommand):
    help = "Write the 全銀協 総合振込 transfer file of a payment batch."

    def add_arguments(self, parser):
        parser.add_argument("batch_id", type=int)
        parser.add_argument("--output", required=True, help="path of the file to write")
        parser.add_argument("--user", help="e-mail of the secretariat member recorded as exporting (default: system)")

    def handle(self, *args, batch_id, output, user=None, **options):
        if not PaymentBatch.objects.filter(pk=batch_id).exists():
            raise CommandError(f"支払バッチ#{batch_id}はありません。")
        actor = None
        if user:
            actor = User.objects.filter(email=user).first()
            if actor is None or not actions.can_pay(actor):
                raise CommandError(f"{user} は事務局の利用者ではありません。")
        try:
            data = actions.export_batch(actor, batch_id, write=lambda data: write_atomically(output, data))
        except Refused as refused:
            raise CommandError(" ".join(refused.reasons)) from None
        except OSError as exc:
            raise CommandError(f"ファイルを書き込めません：{exc}") from None
        self.stdout.write(f"{output}: {len(data)} bytes, batch #{batch_id}")
