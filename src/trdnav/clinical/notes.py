"""The chart's "Sources and notes on method" (policy P-WD2, as on the history page): every
citation, clinical-policy key and the knowledge-base version the page refers to, numbered in
order of first mention. The text shows a short reference and a small number; the full
reference (with its PMID, DOI or address) is in the notes at the foot of the page.

Presentation only: the references are the knowledge base's own, unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableMapping
from typing import Any

from trdnav.clinical.words import codes_as_words

# What a short reference leaves to the note: identifiers, addresses and a file's own key.
_IDENTIFIER = re.compile(r"\b(?:PMID|PMCID|DOI|doi)\b|https?://|\bkb-[0-9a-f]+\b")
_KEY_IN_BRACKETS = re.compile(r"\s*\((?:[a-z0-9]+_)+[a-z0-9]+\)")
SHORT_CHARS = 60


class Notes:
    """The notes of one page, each text once, numbered from 1."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def number(self, text: str) -> int:
        if text not in self.texts:
            self.texts.append(text)
        return self.texts.index(text) + 1

    def policies(self, keys: Iterable[str]) -> list[dict[str, int]]:
        return [{"number": self.number(f"Clinical policy {key}")} for key in dict.fromkeys(keys)]

    def source(self, citation: Any) -> list[dict[str, int]]:
        return [{"number": self.number(f"Source: {citation}")}] if citation else []

    def listed(self) -> list[dict[str, Any]]:
        return [{"number": i, "text": text} for i, text in enumerate(self.texts, start=1)]


def short_reference(citation: Any) -> str:
    """The first part of a citation, as a reader scans it ("Lenze 2023"); "source" when that
    part is itself an identifier."""
    first = str(citation or "").split(", ")[0].strip()
    first = _KEY_IN_BRACKETS.sub("", first)
    if not first or _IDENTIFIER.search(first):
        return "source"
    if len(first) > SHORT_CHARS:
        first = first[: SHORT_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return codes_as_words(first)


def cite(item: MutableMapping[str, Any], notes: Notes) -> None:
    """Give an item with a ``citation`` (or a ``source``) its short reference and note number."""
    citation = item.get("citation") or item.get("source")
    item["cite"] = short_reference(citation) if citation else ""
    item["refs"] = notes.source(citation) + notes.policies(item.get("policies", []))
