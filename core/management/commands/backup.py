from django.core.management.base import BaseCommand

from core.backup import dump


class Command(BaseCommand):
    help = "Back up the database and the private media into a directory (with a manifest of fingerprints)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="directory to write (created)")

    def handle(self, *args, output, **options):
        manifest = dump(output)
        rows = sum(count for count, _ in manifest["tables"].values())
        self.stdout.write(f"{output}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['media'])} media files")
