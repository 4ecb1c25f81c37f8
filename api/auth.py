"""Authorization: Bearer <token> (ApiToken). The request then acts as the token's user."""

from ninja.security import HttpBearer

from .tokens import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user  # the same user object the UI's scoped helpers take
        return user


bearer = BearerToken()
