"""The OpenAPI document, the reference page, and schemathesis against the running app in-process."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings as hypothesis_settings

from directory.stats import record_expert_activity
from dispatch.models import State
from intake.stats import refresh_org_stats

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_every_endpoint(client):
    doc = client.get("/api/openapi.json").json()
    assert set(doc["paths"]) == {
        "/api/experts/", "/api/experts/{expert_id}/", "/api/organisations/", "/api/organisations/{organisation_id}/",
        "/api/reference/", "/api/me/", "/api/cases/", "/api/cases/{case_id}/",
        "/api/organisations/{organisation_id}/cases/", "/api/kpis/",
    }
    assert doc["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}


def test_the_reference_page_describes_each_endpoint_in_japanese(client):
    page = client.get("/api/docs/").content.decode()
    assert "GET /api/cases/{case_id}/" in page and "専門家派遣の詳細と経過" in page and "トークンが必要" in page


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/nothing/here/")
    assert response.status_code == 404 and response.json()["detail"].startswith("見つかりません")


@pytest.fixture
def api_world(two, token_for, settings):
    """Experts, organisations with measured figures, cases in several states, and a secretariat token
    (the widest scope, so the generated requests reach real rows)."""
    settings.API_SEARCH_RATE_LIMIT = 0  # schemathesis sends hundreds of searches from one address
    two.case_in(State.SCHEDULED)
    two.case_b("applied")
    record_expert_activity(two.expert.pk, dispatches_completed=3, rating=5)
    refresh_org_stats()
    return token_for(two.secretariat)


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, kept from closing the database connection after each request (which
    would end the test's transaction), as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(api_world, wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis_settings(
    max_examples=20, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_generated_requests_get_no_server_error_and_match_the_document(case, api_world):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_world}"})
