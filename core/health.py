"""Health endpoint for the load balancer and the operator: is the database reachable, is mail flowing?"""

import datetime

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from notifications.models import Outbox

# Mail waiting longer than this means the worker is down (the outbox keeps it; nothing is lost).
STALE_MAIL = datetime.timedelta(minutes=30)


@never_cache
def healthz(request):
    """200 when the app can serve requests; 503 when the database is unreachable.

    Says nothing about users or data: safe to expose without login.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        oldest = Outbox.objects.filter(status__in=[Outbox.Status.PENDING, Outbox.Status.SENDING]).order_by("created_at").values_list("created_at", flat=True).first()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    mail = "ok" if oldest is None or timezone.now() - oldest < STALE_MAIL else "delayed"
    return JsonResponse({"status": "ok", "database": "ok", "mail": mail})
