"""The core's one exception tree. Only the web layer and the command line translate it.

::

    TrdnavError
    ├── InvalidInput            bad values from a person or a client; carries FieldErrors
    │   └── UnknownCode         a code (instrument, drug, fact, therapy…) that is not known
    ├── KnowledgeBaseError      a knowledge-base file is missing or breaks its schema
    └── NotAvailable            a rule the core refuses to compute (e.g. an unverified table)

``InvalidInput`` maps to HTTP 400/422 and to exit status 2 on the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field: ``field`` is a path such as ``items[8]``."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class TrdnavError(Exception):
    """Base of every error the core raises on purpose."""


class InvalidInput(TrdnavError):
    """The input cannot be used; ``errors`` names each field and what is allowed."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        if not errors:
            raise ValueError("InvalidInput needs at least one FieldError")
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))

    @classmethod
    def single(cls, field: str, message: str) -> InvalidInput:
        return cls([FieldError(field, message)])


class UnknownCode(InvalidInput):
    """A code that is not in the relevant vocabulary; the message lists the known codes."""

    def __init__(self, field: str, code: str, known: Sequence[str], hint: str = "") -> None:
        message = f"unknown code {code!r}; known codes: {', '.join(sorted(known))}"
        if hint:
            message = f"{message}. {hint}"
        super().__init__([FieldError(field, message)])
        self.code = code
        self.known = tuple(sorted(known))


class KnowledgeBaseError(TrdnavError):
    """A knowledge-base file is missing, unreadable or breaks its schema."""


class NotAvailable(TrdnavError):
    """The core declines to compute this, and says why (e.g. a scoring table not verified)."""
