"""Template context: the user's membership and what their role may do (for navigation only;
every view checks permissions itself)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trdnav.accounts.permissions import capabilities_of, membership_of


def access(request: HttpRequest) -> dict[str, Any]:
    membership = membership_of(getattr(request, "user", None))
    capabilities = capabilities_of(membership)
    return {"membership": membership, "can": {c.value: True for c in capabilities}}
