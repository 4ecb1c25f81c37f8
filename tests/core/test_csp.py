"""Content Security Policy: scripts only from our own files, and no template relies on inline script."""

import re
from pathlib import Path

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_pages_carry_a_policy_that_forbids_inline_and_foreign_scripts(client):
    policy = client.get("/experts/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_no_template_uses_inline_script_or_event_handler_attributes():
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []
