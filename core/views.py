from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.roles import Role

from .models import AuditEvent


def index(request):
    return render(request, "core/index.html")


@login_required
def audit_log(request):
    """The audit trail, for the secretariat and administrators."""
    if not request.user.has_role(Role.SECRETARIAT, Role.ADMIN):
        raise Http404
    events = AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
    object_type = request.GET.get("type", "")
    if object_type:
        events = events.filter(object_type=object_type)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "object_type": object_type})


def hello(request):
    """A page that does nothing: the load benchmark's reference for what the stack alone costs."""
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")
