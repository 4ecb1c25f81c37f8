"""The JSON API (django-ninja): the public directory, and with a token the user's cases and KPIs.

Errors are JSON {"detail": "<Japanese message>"}; invalid parameters add "errors" per field.
"""

import logging

from django.http import Http404
from django.utils.translation import gettext as _
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


@api.exception_handler(Exception)
def server_error(request, exc):
    logger.exception("API error on %s", request.path)
    return _error(request, 500, _("サーバーでエラーが発生しました。時間をおいて再度お試しください。"))


def field_error(error):
    """One pydantic error as {field, message (Japanese), type}."""
    loc = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
    field = loc[-1] if loc else ""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "string_too_long": _("%(field)sは%(n)s文字以内で指定してください。") % {"field": field, "n": ctx.get("max_length")},
        "string_pattern_mismatch": _("%(field)sの形式が正しくありません。") % {"field": field},
        "int_parsing": _("%(field)sは整数で指定してください。") % {"field": field},
        "int_from_float": _("%(field)sは整数で指定してください。") % {"field": field},
        "greater_than_equal": _("%(field)sは%(n)s以上で指定してください。") % {"field": field, "n": ctx.get("ge")},
        "less_than_equal": _("%(field)sは%(n)s以下で指定してください。") % {"field": field, "n": ctx.get("le")},
        "literal_error": _("%(field)sは選択肢の中から指定してください。") % {"field": field},
        "missing": _("%(field)sを指定してください。") % {"field": field},
    }
    message = messages.get(kind) or _("%(field)sの値が正しくありません。") % {"field": field}
    return {"field": field, "message": message, "type": kind}
