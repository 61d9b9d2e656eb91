"""Every ``source`` in the knowledge base resolves inside the repository.

A maintainer checking a number follows its ``source``: a register key (``therapies/_sources.toml``
or ``instruments/_sources.toml``), an instrument source key ``S1``…, a research-notes key
(``instrument_notes``, ``evidence_notes``; the ``documents`` of the instruments register), or a
file of this repository (``docs/medications.md``). A path to a file outside it fails.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from trdnav.core.knowledge import data_dir

REPO = Path(__file__).resolve().parents[3]
DATA = data_dir()
INSTRUMENT_REGISTER = "instruments/_sources.toml"
THERAPY_REGISTER = "therapies/_sources.toml"

_FILE = re.compile(r"[\w.-]*(?:/[\w.-]+)*\.(?:md|toml|py|rst|txt|json)\b")
_S_KEY = re.compile(r"(?<![\w./-])S\d+\b")
_NOTES = re.compile(r"\b[a-z]+_notes\b")
_IDENTIFIER = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")


def load(relative: str) -> dict[str, Any]:
    with (DATA / relative).open("rb") as handle:
        return tomllib.load(handle)


def sources_in(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string under a ``source`` key, at any depth, with where it was found."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{where}.{key}"
            if key == "source":
                texts = item if isinstance(item, list) else [item]
                yield from ((here, text) for text in texts if isinstance(text, str))
            else:
                yield from sources_in(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from sources_in(item, f"{where}[{index}]")


def file_exists(name: str) -> bool:
    return (REPO / name).is_file() or (DATA / name).is_file()


def problems(text: str, *, s_keys: set[str], documents: set[str], keys: set[str]) -> list[str]:
    # "S1 hamd.py" names a file inside source S1 (a cited code base), not one of ours.
    in_a_source = _S_KEY.search(text) is not None
    found = [
        f"file {name!r} is not in the repository"
        for name in _FILE.findall(text)
        if not file_exists(name) and ("/" in name or not in_a_source)
    ]
    if "research/" in text:
        found.append("names the research folder, which is not in the repository")
    found += [
        f"source key {k!r} is not in {INSTRUMENT_REGISTER}"
        for k in _S_KEY.findall(text)
        if k not in s_keys
    ]
    found += [
        f"{k!r} is not a document of {INSTRUMENT_REGISTER}"
        for k in _NOTES.findall(text)
        if k not in documents
    ]
    if _IDENTIFIER.match(text) and not text.endswith("_notes") and text not in keys:
        found.append(f"register key {text!r} is in neither register")
    return found


def registers() -> tuple[set[str], set[str], set[str]]:
    instruments = load(INSTRUMENT_REGISTER)
    therapies = load(THERAPY_REGISTER)
    s_keys = set(instruments["sources"])
    documents = set(instruments["documents"])
    return s_keys, documents, set(therapies["sources"]) | s_keys


def all_problems() -> list[str]:
    s_keys, documents, keys = registers()
    found = []
    for path in sorted(DATA.rglob("*.toml")):
        relative = path.relative_to(DATA).as_posix()
        with path.open("rb") as handle:
            document = tomllib.load(handle)
        for where, text in sources_in(document, relative):
            found += [
                f"{where}: {p}"
                for p in problems(text, s_keys=s_keys, documents=documents, keys=keys)
            ]
    return found


def test_every_source_in_the_knowledge_base_resolves_inside_the_repository() -> None:
    assert all_problems() == []


def test_the_instrument_register_gives_a_citation_for_every_key() -> None:
    register = load(INSTRUMENT_REGISTER)
    assert set(register["sources"]) == {f"S{n}" for n in range(1, 26)}
    for table in ("sources", "documents"):
        for key, entry in register[table].items():
            assert entry["citation"].strip(), f"{table}.{key} has no citation"


def test_each_instrument_file_names_its_source_keys_in_its_provenance() -> None:
    s_keys, _, _ = registers()
    for path in sorted((DATA / "instruments").glob("[!_]*.toml")):
        provenance = load(f"instruments/{path.name}")["provenance"]["source"]
        assert set(_S_KEY.findall(provenance)) & s_keys, path.name


def test_a_path_outside_the_repository_or_an_unknown_key_is_reported() -> None:
    s_keys, documents, keys = registers()

    def check(text: str) -> list[str]:
        return problems(text, s_keys=s_keys, documents=documents, keys=keys)

    assert check("research/clinical-evidence.md §2") != []
    assert check("instrument_notes Part A1; source keys S1, S99") == [
        f"source key 'S99' is not in {INSTRUMENT_REGISTER}"
    ]
    assert check("lab_notes §3") == [f"'lab_notes' is not a document of {INSTRUMENT_REGISTER}"]
    assert check("no_such_register_key") != []
    assert check("docs/no-such-page.md") == ["file 'docs/no-such-page.md' is not in the repository"]
    assert check("docs/medications.md (drug table); S1, S24") == []
    assert check("evidence_notes §5") == []
    assert check("S1 hamd.py") == []
    assert check("hamd.py") == ["file 'hamd.py' is not in the repository"]


def test_no_code_or_guide_points_at_a_research_file_outside_the_repository() -> None:
    # Dated reviews under docs/reviews/ are records of what was read at the time; they stay.
    research_file = re.compile(r"research/[\w-]+\.md")
    places = [*sorted((REPO / "src").rglob("*.py")), *sorted((REPO / "src").rglob("*.toml"))]
    places += [p for p in sorted((REPO / "docs").rglob("*.md")) if "reviews" not in p.parts]
    places += [REPO / "README.md", REPO / "CONTRIBUTING.md"]
    offenders = [
        f"{path.relative_to(REPO)}: {match}"
        for path in places
        for match in research_file.findall(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
