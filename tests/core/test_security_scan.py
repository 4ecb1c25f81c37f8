"""Static security scan (bandit) of our own code: no high-severity findings."""

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def first_party_packages():
    return sorted(str(p.parent.relative_to(ROOT)) for p in ROOT.glob("*/apps.py")) + ["yorozu", "bench"]


def test_bandit_finds_no_high_severity_issue():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", *first_party_packages(), "-x", "*/migrations/*",
         "--severity-level", "high", "-f", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    report = json.loads(result.stdout)
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    assert findings == []
    assert len(report["metrics"]) > 10  # it really scanned the project
