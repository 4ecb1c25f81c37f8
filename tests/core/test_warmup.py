"""An app server's workers start warm (core/warmup.py, run by deploy/gunicorn.conf.py in the master
before it forks them): the first visitor a new worker serves does not pay for importing the views,
compiling the templates or loading the dictionary, and no database connection is handed to the
workers to share."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
import django
django.setup()
before = {name: name in sys.modules for name in ("dispatch.views", "payments.views", "sudachipy")}
from django.db import connections
from django.template import engines
from core.warmup import warm
summary = warm()
loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "before": before,
    "after": {name: name in sys.modules for name in before},
    "summary": summary,
    "cached": sorted(loader.get_template_cache),
    "open_connections": [c.alias for c in connections.all() if c.connection is not None],
}))
"""


def test_warm_up_loads_views_templates_and_dictionary_and_leaves_no_connection_open():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yorozu.settings", "YOROZU_ALLOW_INSECURE_KEY": "1"}
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["before"] == {"dispatch.views": False, "payments.views": False, "sudachipy": False}
    assert report["after"] == {"dispatch.views": True, "payments.views": True, "sudachipy": True}
    # Every template of the project compiles (a broken one would be named here).
    assert report["summary"]["failed"] == []
    own = [p for p in (ROOT / "templates").rglob("*.html")]
    assert report["summary"]["templates"] >= len(own) > 100
    for name in ("base.html", "dispatch/list.html", "directory/search.html"):
        assert name in report["cached"]
    assert report["open_connections"] == []
