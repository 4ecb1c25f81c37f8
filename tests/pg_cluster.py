"""A private PostgreSQL cluster a test may stop and start at will: the shared one on 5432 belongs to
everyone running the suite, so it is never stopped."""

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.smtp import free_port


def server_binaries():
    """The bin directory of the newest installed PostgreSQL server (initdb, pg_ctl), or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: [int(part) for part in Path(path).parts[-3].split(".") if part.isdigit()],
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")  # distributions that put the server tools on PATH
    if initdb and (Path(initdb).parent / "pg_ctl").exists():
        return Path(initdb).parent
    return None


class Cluster:
    """initdb'd in a temp dir, listening on 127.0.0.1 on a free port, its socket in the temp dir too."""

    def __init__(self, bindir):
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="yorozu-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.port = free_port()
        self.as_owner = []
        if os.geteuid() == 0:
            # initdb and postgres refuse to run as root (CI runs as root): the postgres user owns the cluster
            os.chown(self.dir, pwd.getpwnam("postgres").pw_uid, -1)
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    def _run(self, tool, *args):
        command = [*self.as_owner, str(self.bindir / tool), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode:
            server_log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}{server_log}")

    def create(self, database="yorozu"):
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync",
                  "-E", "UTF8", "--locale=C.UTF-8")
        self.start()
        self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres",
                  "-q", "-c", f'CREATE DATABASE "{database}"')

    def start(self):
        # No fsync: a test cluster need not survive a power cut, and migrate runs much faster.
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -F -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def url(self, database="yorozu"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def destroy(self):
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self.stop(mode="immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def private_cluster(database="yorozu"):
    """A running cluster with an empty `database`; stopped and deleted afterwards, whatever happened."""
    cluster = Cluster(server_binaries())
    try:
        cluster.create(database)
        yield cluster
    finally:
        cluster.destroy()
