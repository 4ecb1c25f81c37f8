"""The JSON API (django-ninja): the public directory, and with a token the user's cases and KPIs.

Errors are JSON {"detail": "<Japanese message>"}; invalid parameters add "errors" per field.
"""

import logging

from django.db import InterfaceError, OperationalError, close_old_connections
from django.http import Http404
from django.utils.translation import gettext as _, gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from . import cases, directory, kpis
from .ratelimit import RateLimited

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="yorozu API",
    version="1.0.0",
    description=(
        "中小企業の経営相談・専門家派遣（よろず）のAPIです。公開ディレクトリは認証なしで使えます。"
        "派遣・KPIは、ログインして /api/tokens/ で作ったトークンを Authorization: Bearer <token> で送ってください。"
        "トークンの利用者がウェブで見られる範囲だけが返ります。"
    ),
    urls_namespace="api:v1",
    docs_url=None,  # our own page at /api/docs/ (server-rendered, no third-party scripts)
)
api.add_router("", directory.router)
api.add_router("", cases.router)
api.add_router("", kpis.router)


def _error(request, status, detail, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, _("見つかりません。存在しないか、見る権限がありません。"))


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = _error(
        request, 401, _("認証が必要です。有効なAPIトークンを Authorization: Bearer ヘッダーで送ってください。")
    )
    response["WWW-Authenticate"] = 'Bearer realm="yorozu"'
    return response


@api.exception_handler(kpis.NotPermitted)
def not_permitted(request, exc):
    return _error(request, 403, str(exc))


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    response = _error(request, 429, _("短時間に多くの検索がありました。%(n)d秒ほど待ってから再度お試しください。") % {"n": exc.retry_after})
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def invalid(request, exc):
    errors = [field_error(e) for e in exc.errors]
    return _error(request, 422, _("パラメーターが正しくありません。"), errors=errors)


def database_unavailable(request, exc):
    """As core.middleware.DatabaseUnavailableMiddleware does for pages, in JSON: drop the broken
    connection so the next request reconnects, and ask the client to retry."""
    logging.getLogger("yorozu.database").error("database unavailable: %s", exc)
    close_old_connections()
    response = _error(request, 503, _("ただいま混み合っているか、保守中です。しばらくしてから再度お試しください。"))
    response["Retry-After"] = "30"
    return response


api.add_exception_handler(OperationalError, database_unavailable)
api.add_exception_handler(InterfaceError, database_unavailable)


@api.exception_handler(Exception)
def server_error(request, exc):
    logger.exception("API error on %s", request.path)
    return _error(request, 500, _("サーバーでエラーが発生しました。時間をおいて再度お試しください。"))


# pydantic error type -> (Japanese message, the context value it names as %(n)s)
FIELD_MESSAGES = {
    "string_too_long": (gettext_lazy("%(field)sは%(n)s文字以内で指定してください。"), "max_length"),
    "string_pattern_mismatch": (gettext_lazy("%(field)sの形式が正しくありません。"), None),
    "int_parsing": (gettext_lazy("%(field)sは整数で指定してください。"), None),
    "int_from_float": (gettext_lazy("%(field)sは整数で指定してください。"), None),
    "greater_than_equal": (gettext_lazy("%(field)sは%(n)s以上で指定してください。"), "ge"),
    "less_than_equal": (gettext_lazy("%(field)sは%(n)s以下で指定してください。"), "le"),
    "literal_error": (gettext_lazy("%(field)sは選択肢の中から指定してください。"), None),
    "missing": (gettext_lazy("%(field)sを指定してください。"), None),
}
DEFAULT_FIELD_MESSAGE = gettext_lazy("%(field)sの値が正しくありません。")


def field_error(error):
    """One pydantic error as {field, message (Japanese), type}."""
    loc = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
    field = loc[-1] if loc else ""
    kind = error.get("type", "")
    message, context_key = FIELD_MESSAGES.get(kind, (DEFAULT_FIELD_MESSAGE, None))
    n = (error.get("ctx") or {}).get(context_key) if context_key else None
    return {"field": field, "message": str(message) % {"field": field, "n": n}, "type": kind}
