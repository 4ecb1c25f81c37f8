"""`manage.py ingest_mail PATH|-`: one message in, one JSON line out, exit 0 unless rejected."""

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from notifications.models import InboundMail
from tests.notifications.inbound_builders import build_mail, inbound_media, pasona, subject_for  # noqa: F401
from tests.visits.builders import scheduled_now
from visits.models import TimeReport


def run(*args, stdin=None):
    out = io.StringIO()
    try:
        call_command("ingest_mail", *args, stdout=out, stdin=stdin)
        code = 0
    except SystemExit as exit:
        code = exit.code
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0]), code


def test_a_matched_mail_from_a_file_prints_one_json_line_and_exits_0(pasona, tmp_path):
    case = scheduled_now(pasona, started_minutes_ago=2)
    path = tmp_path / "report.eml"
    path.write_bytes(build_mail(subject_for(case), sender=pasona.sme.email))

    result, code = run(str(path))

    assert code == 0
    assert {k: result[k] for k in ("status", "case", "kind")} == {"status": "matched", "case": case.pk, "kind": "start"}
    assert TimeReport.objects.filter(case=case, source="mail").exists()


def test_a_mail_on_stdin_is_read(pasona):
    case = scheduled_now(pasona, started_minutes_ago=2)
    stdin = io.BytesIO(build_mail(subject_for(case), sender=pasona.sme.email, charset="shift_jis"))

    result, code = run("-", stdin=stdin)

    assert (result["status"], code) == ("matched", 0)


def test_an_unmatched_mail_exits_0_and_is_kept(pasona):
    stdin = io.BytesIO(build_mail("お世話になっております", sender=pasona.sme.email))

    result, code = run("-", stdin=stdin)

    assert (result["status"], result["case"], result["kind"], code) == ("unmatched", None, None, 0)
    assert InboundMail.objects.filter(status="unmatched").count() == 1


def test_a_rejected_mail_exits_non_zero_and_is_kept(pasona):
    case = scheduled_now(pasona, started_minutes_ago=2)
    stdin = io.BytesIO(build_mail(subject_for(case), sender="stranger@example.com"))

    result, code = run("-", stdin=stdin)

    assert (result["status"], code) == ("rejected", 1)
    assert InboundMail.objects.filter(status="rejected").count() == 1


def test_a_missing_file_is_reported_in_json_without_storing_anything(db, tmp_path):
    result, code = run(str(tmp_path / "nothing.eml"))

    assert (result["status"], code) == ("rejected", 2)
    assert "読み込めませんでした" in result["reason"]
    assert not InboundMail.objects.exists()


def test_empty_input_is_refused(db):
    result, code = run("-", stdin=io.BytesIO(b""))

    assert (result["status"], result["reason"], code) == ("rejected", "メールが空です。", 2)


# ---- as a real process, the way an MTA pipes mail in --------------------------------------

def database_url_for_subprocess(tmp_path):
    """The test database as another process sees it (SQLite: a copy of the in-memory database)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = tmp_path / "copy.sqlite3"
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{target}"
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def manage(tmp_path, *args, stdin=b""):
    env = {**os.environ, "DATABASE_URL": database_url_for_subprocess(tmp_path), "YOROZU_ALLOW_INSECURE_KEY": "1",
           "MEDIA_ROOT": str(tmp_path / "media")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], input=stdin, capture_output=True, env=env,
        cwd=Path(settings.BASE_DIR), timeout=120, check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_ingest_mail_as_a_process_reads_a_file(pasona, tmp_path):
    case = scheduled_now(pasona, started_minutes_ago=2)
    path = tmp_path / "report.eml"
    path.write_bytes(build_mail(subject_for(case), sender=pasona.sme.email, charset="iso-2022-jp"))

    done = manage(tmp_path, "ingest_mail", str(path))

    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout.decode().strip())
    assert (result["status"], result["case"], result["kind"]) == ("matched", case.pk, "start")


@pytest.mark.django_db(transaction=True)
def test_ingest_mail_as_a_process_reads_stdin_and_exits_1_when_rejected(pasona, tmp_path):
    case = scheduled_now(pasona, started_minutes_ago=2)

    done = manage(tmp_path, "ingest_mail", "-", stdin=build_mail(subject_for(case), sender="stranger@example.com"))

    assert done.returncode == 1
    assert json.loads(done.stdout.decode().strip())["status"] == "rejected"
