"""On SQLite, reading pages do not hold the database's single write lock while they render.

Every request runs in one transaction (``ATOMIC_REQUESTS``), and on SQLite that transaction
begins ``IMMEDIATE`` (trdnav.site.config.SQLITE_OPTIONS): it takes the one write lock at once,
so two requests never fail with "database is locked" — but they also wait for each other for
the whole of a view, rendering included. Most requests only read (and write one audit row).

So for GET and HEAD on SQLite this middleware calls the view without the request transaction:
each query reads the latest committed data (as PostgreSQL's default READ COMMITTED isolation
does inside a transaction), and each write — the audit row, or a service's own
``transaction.atomic`` block — is a short transaction of its own that waits its turn for the
lock. Writing requests (POST, PUT, PATCH, DELETE) keep one IMMEDIATE transaction for the whole
view, so a failed write stores nothing. PostgreSQL keeps the request transaction for everything.

A reading view that writes more than one row (marking messages read and auditing it, say)
must wrap those writes in its own ``transaction.atomic``, as services that write already do.

It must be the last middleware: returning the response from ``process_view`` skips the later
middlewares' ``process_view`` and Django's own transaction wrapper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ShortReadTransactionsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.method not in SAFE_METHODS or connection.vendor != "sqlite":
            return None  # Django wraps the view in the request transaction as usual
        if not connection.settings_dict.get("ATOMIC_REQUESTS"):
            return None
        return view(request, *args, **kwargs)
