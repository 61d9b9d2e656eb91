"""A broken protocol file fails at load with the file and the key, never with a wrong check."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.protocols import load as loader
from trdnav.core.protocols import rems
from trdnav.core.protocols.load import parse_protocol, read_toml

Doc = dict[str, Any]


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is _DELETE:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value

    return change


_DELETE = object()
CASES: list[tuple[Callable[[Doc], None], str]] = [
    (_set("protocol", _DELETE), "missing [protocol] table"),
    (_set("protocol.modality", "yoga"), "modality must be one of"),
    (_set("protocol.name", ""), "name must be non-empty text"),
    (_set("protocol.status", "maybe"), "status must be one of"),
    (_set("protocol.source", "nobody2099"), "source 'nobody2099' is not in a source register"),
    (_set("protocol.planned_sessions", 9), "must equal the sum of the phases"),
    (_set("protocol.planned_sessions", "8"), "planned_sessions must be an integer"),
    (_set("protocol.sessions_per_week", "2"), "sessions_per_week must be a number"),
    (_set("protocol.therapy_ids", []), "therapy_ids must name at least one therapy"),
    (_set("protocol.outcome_after_sessions", 1.5), "outcome_after_sessions must be an integer"),
    (_set("phases.0.per_week", 0), "per_week must be a positive number"),
    (_set("phases.0.per_week", 2.5), "must be a whole number"),
    (_set("fields.0.kind", "colour"), "kind must be one of"),
    (_set("fields.1.name", "dose_mg"), "field names must be unique"),
    (_set("fields.0.min", "low"), "min must be a number"),
    (_set("fields.0.kind", "choice"), "a choice field needs choices"),
    (_set("parameters.doses_mg", {"unit": "mg"}), "value is missing"),
    (_set("parameters.first_dose_mg.clinic", "maybe"), "clinic must be fixed, tighten or any"),
    (_set("parameters.first_dose_mg.clinic", "tighten"), "needs tighter = lower or higher"),
    (_set("checks.0.kind", "guess"), "kind must be one of"),
    (_set("checks.0.level", "stop"), "level must be one of"),
    (_set("checks.0.field", "nope"), "field 'nope' is not a session field"),
    (_set("checks.0.any.0.field", "nope"), "condition names unknown field 'nope'"),
    (_set("checks.0.any.0.param", "nope"), "condition names unknown parameter 'nope'"),
    (_set("checks.8.devices_field", "nope"), "devices_field names unknown 'nope'"),
    (_set("checks.8.param", "nope"), "param names unknown 'nope'"),
    (_set("measures.0.when", "sometimes"), "when must be baseline, during or end"),
    (_set("measures.2.every_sessions", 0), "a during measure needs a positive every_sessions"),
    (_set("checkpoints.0.condition", "bad_luck"), "condition must be one of"),
    (_set("checkpoints.0.after_sessions", _DELETE), ""),
]


@pytest.mark.parametrize(("change", "words"), CASES)
def test_a_schema_error_names_the_file_and_the_key(
    change: Callable[[Doc], None], words: str
) -> None:
    doc = copy.deepcopy(read_toml("esketamine_induction.toml"))
    change(doc)
    if not words:  # after_days alone is enough
        assert parse_protocol(doc, "x.toml").checkpoints[0].after_sessions is None
        doc["checkpoints"][0].pop("after_days")
        words = "needs after_sessions or after_days"
    with pytest.raises(KnowledgeBaseError) as caught:
        parse_protocol(doc, "x.toml")
    assert str(caught.value).startswith("protocols/x.toml")
    assert words in str(caught.value)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    real = loader.DATA_DIR
    for name in ("_sources.toml", "esketamine_induction.toml"):
        (tmp_path / name).write_bytes((real / name).read_bytes())
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    for cached in (loader.load_protocols, loader.source_register, rems.load_rems_rules):
        cached.cache_clear()
    yield tmp_path
    for cached in (loader.load_protocols, loader.source_register, rems.load_rems_rules):
        cached.cache_clear()


def test_missing_and_invalid_files(data_dir: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="file not found"):
        read_toml("nope.toml")
    (data_dir / "bad.toml").write_text("[protocol\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="invalid TOML"):
        read_toml("bad.toml")


def test_a_protocol_id_must_match_its_file_name(data_dir: Path) -> None:
    (data_dir / "esketamine_induction.toml").rename(data_dir / "other.toml")
    with pytest.raises(KnowledgeBaseError, match="must match the file name"):
        loader.load_protocols()


def test_a_source_without_a_citation_is_refused(data_dir: Path) -> None:
    (data_dir / "_sources.toml").write_text('[sources.x]\nread = "y"\n', encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"\[sources.x\] needs a citation"):
        loader.source_register()


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ('effective_from = "2019-03-05"\ndeadline_days = 7', "effective_from must be a TOML date"),
        ("effective_from = 2019-03-05\ndeadline_days = 0", "deadline_days must be a positive"),
    ],
)
def test_a_broken_rems_rule_is_refused(data_dir: Path, rule: str, words: str) -> None:
    text = f'[[rules]]\nid = "r"\n{rule}\nsource = "spravato_rems_pmf"\nstatus = "verified"\n'
    (data_dir / "rems.toml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=words):
        rems.load_rems_rules()
