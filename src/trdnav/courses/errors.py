"""What the course services refuse, beyond plain ``InvalidInput``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput


class SessionNotSignable(InvalidInput):
    """Blocks remain: a required field is missing (never overridable), or a block finding has
    no written override reason. ``findings`` are the blocking findings (``Finding.to_dict()``
    form) that stop the signature; ``errors`` name ``values.<field>`` for a missing required
    field and ``overrides.<rule>`` for a block that needs a reason."""

    def __init__(self, findings: Sequence[Mapping[str, Any]], errors: Sequence[FieldError]):
        super().__init__(errors)
        self.findings: tuple[Mapping[str, Any], ...] = tuple(findings)


class SessionAlreadySigned(InvalidInput):
    """The session was signed (by someone else, or by an earlier submission): signed sessions
    are amended with a reason, never signed or overwritten again (API: 409)."""

    def __init__(self, number: int) -> None:
        message = f"session {number} is already signed; amend it with a reason instead"
        super().__init__([FieldError("session", message)])
