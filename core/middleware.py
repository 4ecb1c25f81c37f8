"""Request logging (one structured line per request) and a clean 503 when the database is gone."""

import logging
import time

from django.db import InterfaceError, OperationalError, close_old_connections
from django.http import HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger("yorozu.request")


class RequestLogMiddleware:
    """Method, path, status, duration and user id per request (JSON when LOG_FORMAT=json)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class DatabaseUnavailableMiddleware:
    """A lost database connection (restart, failover) becomes a polite 503, not a 500 with a trace;
    the broken connection is dropped so the next request reconnects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logging.getLogger("yorozu.database").error("database unavailable: %s", exception)
        close_old_connections()
        # Rendered without the request: the menu and the user would need the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
