"""The documented deployment works: the example environment passes the deploy checklist, and two
gunicorn app servers started with deploy/gunicorn.conf.py serve the same database."""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests import factories
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


def _get(port, path, host="yorozu.example.jp", cookie=None):
    headers = {"Host": host, "X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _log_in(port, email, password, host="yorozu.example.jp"):
    """The login form through the proxy headers (HTTPS): the session id the server hands out."""
    login = f"http://127.0.0.1:{port}/accounts/login/"
    with urllib.request.urlopen(urllib.request.Request(login, headers={"Host": host, "X-Forwarded-Proto": "https"}), timeout=10) as page:
        csrf_cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "")).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    form = urllib.parse.urlencode({"username": email, "password": password, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(login, data=form, headers={
        "Host": host, "X-Forwarded-Proto": "https", "Cookie": f"csrftoken={csrf_cookie}",
        "Referer": f"https://{host}/accounts/login/", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=20) as answer:
            errors = re.findall(r'role="alert">(.*?)</div>', answer.read().decode(), re.S)
        raise AssertionError(f"the login did not redirect: {errors}")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302, redirect.code
        cookies = "; ".join(redirect.headers.get_all("Set-Cookie"))
    return re.search(r"sessionid=([^;]+)", cookies).group(1)


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_share_nothing_but_the_database(tmp_path, settings):
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the servers' own (the suite's is fast MD5)
    _company, member = factories.company_with_member()
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
        # a member logs in on one server and carries on on the other (sessions in the shared cache and database)
        session = _log_in(ports[0], member.email, factories.PASSWORD)
        status, body = _get(ports[1], "/dispatch/wallet/", cookie=f"sessionid={session}")
        assert status == 200 and member.name in body
        import redis

        assert redis.Redis.from_url(env["CACHE_URL"]).exists(f":1:django.contrib.sessions.cached_db{session}")
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
