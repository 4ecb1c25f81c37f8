"""One structured log line per request, as JSON for the log collector."""

import json
import logging

import pytest
from django.conf import settings
from django.utils.module_loading import import_string


@pytest.mark.django_db
def test_each_request_is_logged_as_one_json_line(client, caplog):
    spec = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(spec.pop("()"))(**spec)
    with caplog.at_level(logging.INFO, logger="yorozu.request"):
        client.get("/experts/?q=資金繰り")
    (record,) = [r for r in caplog.records if r.name == "yorozu.request"]
    line = json.loads(formatter.format(record))
    assert line["logger"] == "yorozu.request"
    assert line["path"] == "/experts/"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["duration_ms"] >= 0
    assert line["user_id"] is None
