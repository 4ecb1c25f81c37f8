import dj_database_url
from django.core.management.base import BaseCommand, CommandError

from core.backup import compare, open_copy, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an EMPTY database and media directory, then check the copy "
        "against the backup's manifest. Never touches the running database."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="directory written by `manage.py backup`")
        parser.add_argument("--database-url", required=True, help="the empty target database")
        parser.add_argument("--media-root", required=True, help="the empty target media directory")

    def handle(self, *args, backup, database_url, media_root, **options):
        target = dj_database_url.parse(database_url)
        target.setdefault("OPTIONS", {})
        target.setdefault("TIME_ZONE", None)
        target.setdefault("CONN_HEALTH_CHECKS", False)
        target.setdefault("AUTOCOMMIT", True)
        try:
            manifest = restore(backup, target, media_root)
        except (RuntimeError, OSError) as exc:
            raise CommandError(f"復元できません: {exc}") from exc
        copy = open_copy(target)
        try:
            problems = compare(manifest, copy, media_root)
        finally:
            copy.close()
        if problems:
            raise CommandError(f"復元したデータがバックアップと一致しません（{len(problems)}件）: {problems[:3]}")
        self.stdout.write("復元し、バックアップと一致することを確認しました")
