"""The health endpoint, and what a user sees while the database is unreachable."""

import datetime

import psycopg
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications.mail import queue_mail
from notifications.models import Outbox


@pytest.mark.django_db
def test_health_says_ok_when_the_database_answers(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "mail": "ok"}


@pytest.mark.django_db
def test_health_says_mail_is_delayed_when_the_outbox_has_waited_too_long(client):
    queue_mail(["taro@example.jp"], "verify_email", {"user": {"name": "山田 太郎"}, "email": "taro@example.jp", "path": "/v/"})
    Outbox.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert client.get(reverse("core:healthz")).json()["mail"] == "delayed"


@pytest.mark.django_db
def test_health_exposes_no_user_data(client):
    assert set(client.get(reverse("core:healthz")).json()) == {"status", "database", "mail"}


def _kill_our_connections():
    """What a PostgreSQL restart does to a client: every server process of this database ends."""
    params = connection.get_connection_params()
    name = connection.settings_dict["NAME"]
    killer = psycopg.connect(
        host=params.get("host"), port=params.get("port"), user=params.get("user"),
        password=params.get("password"), dbname="postgres", autocommit=True,
    )
    with killer:
        killer.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminating server connections needs PostgreSQL")
def test_a_database_restart_gives_a_polite_503_and_the_next_request_recovers(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the page must reach the database (a cached copy would still answer)
    url = reverse("directory:expert_search")
    assert client.get(url).status_code == 200
    _kill_our_connections()
    # the request on the dead connection fails cleanly: a Japanese page, no trace, asked to retry
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "ただいまご利用いただけません" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    # and the next one reconnects
    assert client.get(url).status_code == 200
    assert client.get(reverse("core:healthz")).json()["database"] == "ok"
