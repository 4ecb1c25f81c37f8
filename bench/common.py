"""What every benchmark needs before Django starts: its database, created when missing (a fresh machine)."""

from pathlib import Path
from urllib.parse import urlsplit


def ensure_database(url):
    """Create the PostgreSQL database, or the SQLite file's folder, that `url` names, if missing."""
    if not url:
        return
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = parts.path[1:] if parts.path.startswith("//") else parts.path
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")
