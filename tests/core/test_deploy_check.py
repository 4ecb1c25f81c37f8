"""The production settings pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "YOROZU_", "SECRET_KEY", "DEBUG"))}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=base, capture_output=True, text=True, timeout=120,
    )


PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "SECURE_SSL_REDIRECT": "True",
    "SECURE_PROXY_SSL_HEADER": "True",
    "SECURE_HSTS_SECONDS": "31536000",
    "ALLOWED_HOSTS": "yorozu.example.jp",
    "CSRF_TRUSTED_ORIGINS": "https://yorozu.example.jp",
}


def test_check_deploy_passes_without_warnings():
    result = run_check(**PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_check_deploy_warns_about_a_weak_key():
    result = run_check(**{**PRODUCTION, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_check(**env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
