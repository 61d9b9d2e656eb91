"""API authentication: a bearer token, or the browser session (with CSRF on unsafe methods)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from trdnav.accounts.tokens import user_for_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer trd_…``; the request then acts as the token's owner."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The logged-in session of an active user; ninja enforces CSRF for unsafe methods.

    Without a logged-in user there is nothing for CSRF to protect: the request is simply
    unauthenticated (401, as documented), not a CSRF failure (403)."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


API_AUTH = [TokenAuth(), ActiveSessionAuth()]
