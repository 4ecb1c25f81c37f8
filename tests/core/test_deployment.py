"""The documented deployment works: the example environment passes the deploy checklist, and two
gunicorn app servers started with deploy/gunicorn.conf.py serve the same database."""

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.core.test_deploy_check import ROOT, run_check
from tests.shared_db import shared_database
from tests.smtp import free_port


def example_env(tmp_path):
    env = {}
    for line in (ROOT / "deploy" / "yorozu.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(64))
    env["SECRET_KEY_FILE"] = str(key_file)
    return env


def test_the_example_production_environment_passes_the_deploy_checklist(tmp_path):
    env = example_env(tmp_path)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = run_check(**env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _get(port, path, host="yorozu.example.jp"):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": host, "X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_share_nothing_but_the_database(tmp_path):
    url, reader = shared_database(tmp_path)
    env = {**example_env(tmp_path), "DATABASE_URL": url, "TASKS_BACKEND": "db",
           "CACHE_URL": "redis://127.0.0.1:6379/14", "MEDIA_ROOT": str(tmp_path / "media"),
           "GUNICORN_WORKERS": "1", "LOG_FORMAT": "json", "STATIC_ROOT": str(tmp_path / "static")}
    # the release step: hashed static files for the manifest storage
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT,
        env={**os.environ, **env, "DATABASE_URL": url}, capture_output=True, text=True, timeout=120,
    )
    assert collected.returncode == 0, collected.stderr
    ports = [free_port(), free_port()]
    servers = []
    for port in ports:
        servers.append(_gunicorn(env | {"GUNICORN_BIND": f"127.0.0.1:{port}"}, url))
    try:
        for port in ports:
            _wait(port)
            status, body = _get(port, "/healthz")
            assert status == 200 and '"database": "ok"' in body
            status, body = _get(port, "/experts/")
            assert status == 200 and "専門家" in body
            assert "/static/css/yorozu." in body  # the hashed name from the manifest
    finally:
        for server in servers:
            server.terminate()
            server.wait(20)
        if reader.alias != "default":
            reader.close()


def _gunicorn(env, url):
    environment = {**os.environ, **env, "DATABASE_URL": url}
    environment.pop("YOROZU_ALLOW_INSECURE_KEY", None)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    return subprocess.Popen(
        [gunicorn, "-c", "deploy/gunicorn.conf.py", "yorozu.wsgi"], cwd=ROOT, env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _wait(port, seconds=90):
    deadline = time.monotonic() + seconds
    while True:
        try:
            _get(port, "/healthz")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
