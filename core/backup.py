"""Backups of the database and the private media, and the proof that a restore gives the same data.

SQLite is copied with SQLite's online backup API (consistent while the server runs); PostgreSQL
with pg_dump's custom format and pg_restore. Media files are packed in a tar with a SHA-256 per file.
A fingerprint (row count and a digest of every row, in primary-key order) per table compares source
and restored copy.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"


# ---- fingerprints --------------------------------------------------------------------------

def open_copy(database):
    """A connection to a restored copy, outside Django's connection registry (settings dict as DATABASES')."""
    from django.db.utils import load_backend

    return load_backend(database["ENGINE"]).DatabaseWrapper(database, alias="restored-copy")


def _tables(connection):
    """(table, ordering columns) for every concrete model and many-to-many table."""
    seen = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in seen:
            continue
        seen[meta.db_table] = [meta.pk.column]
    existing = set(connection.introspection.table_names())
    return sorted((table, cols) for table, cols in seen.items() if table in existing)


def fingerprint(connection):
    """{table: [row count, sha256 of the rows in primary-key order]}."""
    result = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, order in _tables(connection):
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {', '.join(quote(c) for c in order)}")
            digest, count = hashlib.sha256(), 0
            while rows := cursor.fetchmany(2000):
                for row in rows:
                    digest.update(repr(tuple(_plain(v) for v in row)).encode())
                count += len(rows)
            result[table] = [count, digest.hexdigest()]
    return result


def _plain(value):
    # Drivers differ in the types they return for the same stored value (memoryview vs bytes).
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def media_hashes(root):
    root = Path(root)
    hashes = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            hashes[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


# ---- dump ------------------------------------------------------------------------------------

def _pg_env(db):
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args(db):
    args = []
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args


def dump(target, alias="default", media_root=None):
    """Write db + media + manifest into the directory `target`; returns the manifest."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target / "db.sqlite3") as copy:
            connection.connection.backup(copy)
        copy.close()
        database_file = "db.sqlite3"
    elif connection.vendor == "postgresql":
        database_file = "db.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *_pg_args(db),
             "--file", str(target / database_file), db["NAME"]],
            check=True, env=_pg_env(db), capture_output=True,
        )
    else:  # pragma: no cover
        raise RuntimeError(f"unsupported database: {connection.vendor}")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tarfile.open(target / "media.tar", "w") as tar:
        if media_root.exists():
            tar.add(media_root, arcname="media")
    manifest = {
        "vendor": connection.vendor,
        "database_file": database_file,
        "tables": fingerprint(connection),
        "media": media_hashes(media_root),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


# ---- restore ---------------------------------------------------------------------------------

def restore(source, database, media_root):
    """Restore the backup in `source` into `database` (a settings dict of the same vendor, empty)
    and `media_root` (an empty or missing directory)."""
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text())
    media_root = Path(media_root)
    if media_root.exists() and any(media_root.iterdir()):
        raise RuntimeError(f"{media_root} is not empty")
    if manifest["vendor"] == "sqlite":
        if Path(database["NAME"]).exists():
            raise RuntimeError(f"{database['NAME']} already exists")
        shutil.copyfile(source / manifest["database_file"], database["NAME"])
    else:
        subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *_pg_args(database),
             "--dbname", database["NAME"], str(source / manifest["database_file"])],
            check=True, env=_pg_env(database), capture_output=True,
        )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar") as tar:
        members = [m for m in tar.getmembers() if m.name.startswith("media/") and (m.isfile() or m.isdir())]
        for member in members:
            member.name = member.name[len("media/"):]
        tar.extractall(media_root, members=[m for m in members if m.name], filter="data")
    return manifest


def compare(manifest, connection, media_root):
    """Differences between a manifest and a database/media copy ([] when they are equal)."""
    problems = []
    restored = fingerprint(connection)
    for table in sorted(set(manifest["tables"]) | set(restored)):
        if manifest["tables"].get(table) != restored.get(table):
            problems.append(f"table {table}: source {manifest['tables'].get(table)} restored {restored.get(table)}")
    hashes = media_hashes(media_root)
    for name in sorted(set(manifest["media"]) | set(hashes)):
        if manifest["media"].get(name) != hashes.get(name):
            problems.append(f"media {name}: differs")
    return problems
