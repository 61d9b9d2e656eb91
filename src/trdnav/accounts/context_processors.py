"""Template context: the user's membership and what their role may do (for navigation only;
every view checks permissions itself)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trdnav.accounts.permissions import ROLE_CAPABILITIES, membership_of


def access(request: HttpRequest) -> dict[str, Any]:
    membership = membership_of(getattr(request, "user", None))
    capabilities = ROLE_CAPABILITIES[membership.role] if membership is not None else frozenset()
    return {"membership": membership, "can": {c.value: True for c in capabilities}}
