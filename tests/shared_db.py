"""Hand the test database to another process (a worker, a management command) and read back what it wrote."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

from core.backup import open_copy

ROOT = Path(settings.BASE_DIR)


def shared_database(tmp_path):
    """(DATABASE_URL another process can use, a connection to read what it wrote).

    PostgreSQL: the test database itself (use a transactional test). SQLite: the test database lives in
    memory, so the other process gets a file copy of it and the reader reads that file.
    """
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{path}", open_copy({**db, "NAME": str(path)})
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return url, connection


def manage(url, *args, env=None, wait=True, timeout=120):
    """Run `manage.py ARGS` in a new process on the shared database."""
    environment = {**os.environ, "DATABASE_URL": url, "YOROZU_ALLOW_INSECURE_KEY": "1", "DEBUG": "False", **(env or {})}
    command = [sys.executable, "manage.py", *args]
    if wait:
        return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout)
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
