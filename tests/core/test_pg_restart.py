"""PostgreSQL really stops and starts under a running app server (issue 9): meanwhile visitors get a
polite Japanese 503 and the health check says the database is unreachable; once it is back the same
gunicorn answers and saves again, without a restart.

The test has a PostgreSQL cluster of its own (tests/pg_cluster.py), so it runs whichever database the
suite uses and never stops the shared one."""

import http.client
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from tests.core.test_deploy_check import ROOT
from tests.core.test_deployment import example_env
from tests.pg_cluster import private_cluster, server_binaries
from tests.shared_db import manage
from tests.smtp import free_port

pytestmark = pytest.mark.skipif(
    server_binaries() is None, reason="the PostgreSQL server binaries (initdb, pg_ctl) are not installed"
)

HOST = "yorozu.example.jp"
PAGE = "/experts/"  # a public page read from the database
SIGNUP = "/accounts/signup/"
FORM = {
    "name": "再起動太郎",
    "name_kana": "さいきどうたろう",
    "email": "restart@pasona-kensetsu.example.jp",
    "password1": "kensetsu-2026-secure",
    "password2": "kensetsu-2026-secure",
    "agree": "on",
}


def test_a_real_postgresql_restart_gives_a_polite_503_and_the_same_server_recovers(tmp_path):
    with private_cluster() as cluster:
        migrated = manage(cluster.url(), "migrate", "--noinput", timeout=300)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        port = free_port()
        with _Gunicorn(tmp_path, cluster.url(), port) as server:
            _wait_until_up(port, server)
            status, _, body = _request(port, PAGE)
            assert status == 200 and "専門家" in body
            # a visitor opens the signup form while the database is up
            cookie, form = _signup_form(port)

            cluster.stop()
            status, headers, body = _request(port, PAGE)
            assert status == 503
            assert headers["Retry-After"] == "30"
            assert "ただいまご利用いただけません" in body
            assert "Traceback" not in body and "OperationalError" not in body
            status, _, body = _request(port, "/healthz")
            assert (status, json.loads(body)) == (503, {"status": "error", "database": "unreachable"})
            # and sends it: told nothing was saved, to try again later
            status, _, body = _post(port, SIGNUP, form, cookie)
            assert status == 503 and "入力した内容は保存されていません" in body

            cluster.start()
            started = time.monotonic()
            while (status := _request(port, PAGE)[0]) != 200 and time.monotonic() - started < 5:
                time.sleep(0.2)
            assert status == 200, f"still {status} 5 s after PostgreSQL came back"
            status, _, body = _request(port, "/healthz")
            assert status == 200 and json.loads(body)["database"] == "ok"
            # the same form sent again is saved
            status, headers, _ = _post(port, SIGNUP, form, cookie)
            assert status == 302, _tail(server)
            with psycopg.connect(cluster.url()) as db:
                saved = db.execute("SELECT name FROM accounts_user WHERE email = %s", [FORM["email"]]).fetchall()
            assert saved == [(FORM["name"],)]


class _Gunicorn:
    """One app server as deployed (deploy/gunicorn.conf.py, production settings) on the private cluster."""

    def __init__(self, tmp_path, url, port):
        self.env = {
            **os.environ,
            **example_env(tmp_path),
            "DATABASE_URL": url,
            "DB_CONN_MAX_AGE": "60",  # persistent connections, as deployed: the restart breaks them
            "CACHE_URL": "",  # no shared cache, so no page cache: every request reaches the database
            "TASKS_BACKEND": "db",
            "EMAIL_URL": "console:",
            "STATIC_MANIFEST": "False",  # no collectstatic needed
            "STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "GUNICORN_WORKERS": "1",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "LOG_FORMAT": "text",
        }
        self.env.pop("YOROZU_ALLOW_INSECURE_KEY", None)
        self.log = tmp_path / "gunicorn.log"

    def __enter__(self):
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.output = self.log.open("w")
        self.process = subprocess.Popen(
            [gunicorn, "-c", "deploy/gunicorn.conf.py", "yorozu.wsgi"], cwd=ROOT, env=self.env,
            stdout=self.output, stderr=self.output,
        )
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.output.close()


def _tail(server, lines=40):
    return "\n".join(server.log.read_text().splitlines()[-lines:])


def _wait_until_up(port, server, seconds=90):
    deadline = time.monotonic() + seconds
    while True:
        assert server.process.poll() is None, "gunicorn exited:\n" + _tail(server)
        try:
            if _request(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, "gunicorn did not answer:\n" + _tail(server)
        time.sleep(0.3)


def _request(port, path, method="GET", body=None, headers=None):
    """(status, headers, text) as the reverse proxy would ask (HTTPS, the site's host)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request(method, path, body=body, headers={"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def _signup_form(port):
    """(Cookie header, form data with its CSRF token) of a freshly opened signup form."""
    status, headers, body = _request(port, SIGNUP)
    assert status == 200
    cookie = "; ".join(value.split(";", 1)[0] for value in headers.get_all("Set-Cookie") or [])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return cookie, {**FORM, "csrfmiddlewaretoken": token}


def _post(port, path, form, cookie):
    return _request(port, path, "POST", urlencode(form), {
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"https://{HOST}", "Referer": f"https://{HOST}{path}",
    })
