"""Helpers for browser tests: screenshots, logging in through the real pages, mailed links."""

import re
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def screenshot(page, name):
    """Save a full-page PNG under test-artifacts/ for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def totp_code(device):
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def log_in(page, email, password, device=None):
    """Log in through the login page; with a TOTP device, also pass the code page."""
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード", exact=False).fill(password)
    page.get_by_role("button", name="ログイン").click()
    if device is not None:
        page.get_by_label("確認コード（6桁）").fill(totp_code(device))
        page.get_by_role("button", name="確認する").click()
    page.wait_for_load_state()


def mailed_path(to, pattern):
    """The path of the first link matching `pattern` in the newest outbox mail to `to`."""
    from notifications.models import Outbox

    for mail in Outbox.objects.order_by("-created_at"):
        if to in mail.to:
            match = re.search(r"https?://[^/\s]+(" + pattern + r")", mail.body_text)
            if match:
                return match.group(1)
    raise AssertionError(f"no mail to {to} with a link like {pattern}")
