"""Production's task queue: mail queued with TASKS_BACKEND=rq is sent by an RQ worker through Redis."""

import socket

import pytest
import redis
from django.conf import settings

from tests.shared_db import manage, shared_database
from tests.smtp import SMTPServer

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied by the test


def redis_running():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_running(), reason="Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
def test_an_rq_worker_sends_mail_queued_by_the_app(tmp_path):
    redis.Redis.from_url(REDIS_URL).flushdb()
    server = SMTPServer().start()
    url, reader = shared_database(tmp_path)
    env = {"TASKS_BACKEND": "rq", "REDIS_URL": REDIS_URL, "EMAIL_URL": f"smtp://127.0.0.1:{server.port}"}
    try:
        # given the app queues a mail (the outbox row, and a job on Redis)
        queued = manage(url, "shell", "-c", (
            "from notifications.mail import queue_mail; "
            "queue_mail(['hanako@example.jp'], 'verify_email', "
            "{'user': {'name': '山田 花子'}, 'email': 'hanako@example.jp', 'path': '/v/'})"
        ), env=env)
        assert queued.returncode == 0, queued.stderr
        assert redis.Redis.from_url(REDIS_URL).llen("rq:queue:default") == 1
        # when an RQ worker runs
        worked = manage(url, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default", env=env)
        assert worked.returncode == 0, worked.stderr
        # then the mail arrived over SMTP and the outbox says sent
        assert [m["to"] for m in server.messages] == [["hanako@example.jp"]]
        with reader.cursor() as cursor:
            cursor.execute("SELECT status FROM notifications_outbox")
            assert cursor.fetchall() == [("sent",)]
    finally:
        server.stop()
        redis.Redis.from_url(REDIS_URL).flushdb()
        if reader.alias != "default":
            reader.close()
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"  # the suite itself is unchanged
