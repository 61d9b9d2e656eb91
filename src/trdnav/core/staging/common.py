"""Shared pieces of the staging results."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explained:
    """Every staging result says, in plain words, how it was reached."""

    explanation: str
    policies: tuple[str, ...]


def plural(count: int | float, word: str) -> str:
    return f"{count:g} {word}" if count == 1 else f"{count:g} {word}s"


def class_list(classes: tuple[str, ...] | list[str]) -> str:
    return ", ".join(c.upper() for c in classes) if classes else "none"
