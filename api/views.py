"""Web pages of the API: personal tokens (create, show once, revoke) and the reference page."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import actions
from .forms import TokenForm
from .main import api
from .models import ApiToken


@never_cache
@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expiry_days"]
        expires_at = timezone.now() + datetime.timedelta(days=int(days)) if days else None
        try:
            token, raw = actions.create_token(request.user, form.cleaned_data["name"], expires_at, request=request)
        except actions.Refused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
        else:
            # Shown in this response only (never stored, never put in a message or a redirect).
            created = {"token": token, "raw": raw}
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {
        "form": form, "created": created, "tokens": tokens, "now": timezone.now(),
    })


@login_required
@require_POST
def token_revoke(request, pk):
    try:
        token = actions.revoke_token(request.user, pk, request=request)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    except actions.Refused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, _("トークン「%(name)s」を無効にしました。") % {"name": token.name})
    return redirect("api:tokens")


_schema = {}


def openapi_schema():
    """The OpenAPI document, built once per process (it changes only with the code)."""
    if "doc" not in _schema:
        _schema["doc"] = api.get_openapi_schema()
    return _schema["doc"]


def docs(request):
    """The API reference as a plain page, read from the OpenAPI document."""
    doc = openapi_schema()
    operations = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            operations.append({
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "tags": op.get("tags", []),
                "private": bool(op.get("security")),
                "parameters": [
                    {
                        "name": p["name"],
                        "where": p["in"],
                        "required": p.get("required", False),
                        "description": p.get("description") or p.get("schema", {}).get("description", ""),
                        "type": _type_label(p.get("schema", {})),
                    }
                    for p in op.get("parameters", [])
                ],
                "responses": [(code, r.get("description", "")) for code, r in op.get("responses", {}).items()],
            })
    return render(request, "api/docs.html", {"doc": doc, "operations": operations})


def _type_label(schema):
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    return schema.get("type", "")


def not_found(request, path=""):
    """Unknown paths under /api/ answer in JSON like the API's own 404."""
    return JsonResponse({"detail": _("見つかりません。存在しないか、見る権限がありません。")}, status=404)
