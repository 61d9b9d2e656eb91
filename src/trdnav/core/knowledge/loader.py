"""Loads knowledge-base files and checks their provenance.

Every file in ``data/`` is TOML with a ``[provenance]`` table::

    [provenance]
    source = "instrument_notes, Part A1"
    citation = "Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med 2001;16:606-613"
    version = "1"
    reviewed_on = 2026-11-27
    status = "verified"          # or "unverified" for figures recalled from memory

Each feature validates the rest of its file's schema on top of this. The knowledge-base
version is a content hash of every data file, so a stored result can name exactly the
knowledge that produced it.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from trdnav.core.errors import KnowledgeBaseError

_DATA_DIR = Path(__file__).parent / "data"
_REQUIRED_PROVENANCE = ("source", "citation", "version", "reviewed_on", "status")


class Status(StrEnum):
    """Whether a fact was checked against a stored source during research."""

    VERIFIED = "verified"
    UNVERIFIED = "unverified"


@dataclass(frozen=True)
class Provenance:
    source: str
    citation: str
    version: str
    reviewed_on: date
    status: Status


def data_dir() -> Path:
    return _DATA_DIR


def parse_provenance(raw: Any, where: str) -> Provenance:
    """A file's ``[provenance]`` table, or a KnowledgeBaseError naming what is missing."""
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{where}: missing [provenance] table")
    missing = [key for key in _REQUIRED_PROVENANCE if key not in raw]
    if missing:
        raise KnowledgeBaseError(f"{where}: provenance lacks {', '.join(missing)}")
    if not isinstance(raw["reviewed_on"], date):
        raise KnowledgeBaseError(f"{where}: provenance.reviewed_on must be a TOML date")
    try:
        status = Status(raw["status"])
    except ValueError:
        raise KnowledgeBaseError(
            f"{where}: provenance.status must be verified or unverified"
        ) from None
    return Provenance(
        source=str(raw["source"]),
        citation=str(raw["citation"]),
        version=str(raw["version"]),
        reviewed_on=raw["reviewed_on"],
        status=status,
    )


@cache
def load_document(relative_path: str) -> dict[str, Any]:
    """The parsed TOML file at ``data/<relative_path>``, its provenance checked."""
    path = _DATA_DIR / relative_path
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        raise KnowledgeBaseError(f"knowledge file not found: {relative_path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeBaseError(f"{relative_path}: invalid TOML: {exc}") from None
    parse_provenance(document.get("provenance"), relative_path)
    return document


@cache
def knowledge_version() -> str:
    """A short content hash over every data file: changes whenever any fact changes."""
    digest = hashlib.sha256()
    for path in sorted(_DATA_DIR.rglob("*.toml")):
        digest.update(path.relative_to(_DATA_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return f"kb-{digest.hexdigest()[:12]}"
