"""No patient data in any log line: exception messages and SQL text never reach a handler.

An exception's message can carry the data that caused it: PostgreSQL quotes the offending
value and the statement (``LINE 1: … 'Smith'``), a ``KeyError`` names a key, a ``ValueError``
repeats its input. A log record factory, installed once when the app starts, therefore
replaces every record's exception by a redacted traceback (the file, line and function of each
frame, the source line, and the exception's type, but never its message or its local
variables), before any handler, formatter or test capture sees the record. SQL statements
logged by ``django.db.backends`` (development only) keep their duration and lose their text
and parameters. ``docs/configuration.md`` ("Logs") says what a log line may contain.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType
from typing import Any

WITHHELD = "message withheld: it may contain patient data"
SQL_WITHHELD = "(%.3f) SQL statement withheld; alias=%s"
_installed = False


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def _frames(tb: TracebackType | None) -> list[str]:
    lines = []
    for frame in traceback.extract_tb(tb):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    return lines


def redacted_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` and of the exceptions it was raised from, without messages."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(chain) < 10:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for position, error in enumerate(reversed(chain)):
        if position:
            parts.append("\nThe above exception led to the following one:\n")
        parts.append("Traceback (most recent call last):")
        parts.extend(_frames(error.__traceback__))
        parts.append(f"{_type_name(error)} ({WITHHELD})")
    return "\n".join(parts)


def _safe_arg(value: Any) -> Any:
    return f"<{_type_name(value)}: {WITHHELD}>" if isinstance(value, BaseException) else value


def redact(record: logging.LogRecord) -> logging.LogRecord:
    """Strip what may carry patient data from ``record`` (in place); returns it."""
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = redacted_traceback(record.exc_info[1])
        record.exc_info = None
    if isinstance(record.msg, BaseException):
        record.msg = _safe_arg(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_safe_arg(arg) for arg in record.args)
    return record


class WithholdSql(logging.Filter):
    """On ``django.db.backends``: keep a statement's duration, drop its text and parameters
    (with client-side binding the text holds the values). A logger filter, because the
    statement also travels in the record's ``extra`` fields, added after the factory ran."""

    def filter(self, record: logging.LogRecord) -> bool:
        duration = getattr(record, "duration", None)
        if duration is not None:
            record.msg, record.args = SQL_WITHHELD, (duration, getattr(record, "alias", ""))
            record.sql = record.params = None
        return True


def install() -> None:
    """Wrap the current log record factory once (called from the web app's ``ready``)."""
    global _installed
    if _installed:
        return
    base = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact(base(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    logging.getLogger("django.db.backends").addFilter(WithholdSql())
    _installed = True
