import tempfile
import uuid
from pathlib import Path

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core.backup import compare, dump, open_copy, restore


class Command(BaseCommand):
    help = (
        "Backup/restore drill: back up the database and media, restore them into a scratch database and "
        "directory, and prove the copy equals the source (row counts and digests per table, SHA-256 per file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--keep", help="keep the backup in this directory instead of a temporary one")

    def handle(self, *args, keep=None, **options):
        source = connections["default"]
        with tempfile.TemporaryDirectory(prefix="yorozu-drill-") as work:
            work = Path(work)
            backup_dir = Path(keep) if keep else work / "backup"
            manifest = dump(backup_dir)
            scratch = dict(source.settings_dict)
            if source.vendor == "sqlite":
                scratch["NAME"] = str(work / "restored.sqlite3")
            else:
                scratch["NAME"] = f"{source.settings_dict['NAME']}_drill_{uuid.uuid4().hex[:8]}"
                self._admin(source, f'CREATE DATABASE "{scratch["NAME"]}"')
            try:
                restore(backup_dir, scratch, work / "media")
                copy = open_copy(scratch)
                try:
                    problems = compare(manifest, copy, work / "media")
                finally:
                    copy.close()
            finally:
                if source.vendor == "postgresql":
                    self._admin(source, f'DROP DATABASE IF EXISTS "{scratch["NAME"]}"')
        rows = sum(count for count, _ in manifest["tables"].values())
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"復元したデータが元と一致しません（{len(problems)}件の相違）")
        self.stdout.write(
            f"一致: {len(manifest['tables'])} テーブル・{rows} 行・メディア {len(manifest['media'])} ファイルを復元し、元と同一であることを確認しました"
        )

    def _admin(self, source, sql):
        db = source.settings_dict
        with psycopg.connect(
            host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None,
            password=db.get("PASSWORD") or None, dbname="postgres", autocommit=True,
        ) as admin:
            admin.execute(sql)
