"""Every protocol file is complete: each parameter, check, measure and checkpoint has a
resolvable source and a valid status; therapy ids and instruments exist; messages only use
placeholders that exist; what is from memory is visible as unverified."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest

from trdnav.core.instruments import get_instrument
from trdnav.core.knowledge import load_therapies
from trdnav.core.protocols import get_protocol, load_protocols, source_register
from trdnav.core.protocols.model import STATUSES

IDS = sorted(load_protocols())
DOCS = Path(__file__).resolve().parents[3] / "docs"
COMPUTED = {
    "expected",
    "weight",
    "dose",
    "deviation_pct",
    "low",
    "high",
    "every",
    "since",
    "due_sessions",
    "count",
    "drug",
    "minimum",
    "min_weeks",
    "session_number",
}


def _sources(key: str) -> list[str]:
    return [part.strip() for part in key.split("+")]


@pytest.mark.parametrize("protocol_id", IDS)
def test_every_item_has_a_resolvable_source_and_a_valid_status(protocol_id: str) -> None:
    protocol = get_protocol(protocol_id)
    register = source_register()
    items: list[Any] = [
        protocol,
        *protocol.phases,
        *protocol.parameters.values(),
        *protocol.checks,
        *protocol.measures,
        *protocol.checkpoints,
    ]
    for item in items:
        assert item.status in STATUSES, item
        for key in _sources(item.source):
            assert register.get(key, "").strip(), f"{protocol_id}: {key}"


@pytest.mark.parametrize("protocol_id", IDS)
def test_therapies_and_instruments_exist(protocol_id: str) -> None:
    protocol = get_protocol(protocol_id)
    assert set(protocol.therapy_ids) <= set(load_therapies().therapies)
    for code in {protocol.primary_instrument, *(m.instrument for m in protocol.measures)}:
        get_instrument(code)
    assert protocol.primary_instrument in {m.instrument for m in protocol.measures}


@pytest.mark.parametrize("protocol_id", IDS)
def test_message_placeholders_name_fields_parameters_or_computed_values(protocol_id: str) -> None:
    protocol = get_protocol(protocol_id)
    known = {f.name for f in protocol.session_fields} | set(protocol.parameters) | COMPUTED
    for check in protocol.checks:
        templates = [v for k, v in check.spec.items() if k.startswith("message")]
        for template in templates:
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert names <= known, (check.rule, names - known)


@pytest.mark.parametrize("protocol_id", IDS)
def test_unverified_items_are_flagged_in_the_json(protocol_id: str) -> None:
    data = get_protocol(protocol_id).to_dict()
    for section in ("phases", "parameters", "checks", "checkpoints"):
        for item in data[section]:
            assert item["unverified"] is (item["status"] == "from_memory")


def test_every_therapy_that_is_delivered_as_a_course_has_a_protocol() -> None:
    delivered = {t for p in load_protocols().values() for t in p.therapy_ids}
    expected = {
        "ketamine_iv", "esketamine", "rtms", "itbs", "deep_tms", "snt", "ect", "cbt", "dbt",
        "act", "cbasp", "mbct", "behavioural_activation", "ipt", "switch_antidepressant",
        "aug_lithium", "aug_aripiprazole",
    }  # fmt: skip
    assert expected <= delivered


def test_the_docs_describe_every_protocol_and_every_policy_it_names() -> None:
    protocols_doc = (DOCS / "protocols.md").read_text(encoding="utf-8")
    policies_doc = (DOCS / "clinical-policies.md").read_text(encoding="utf-8")
    for protocol in load_protocols().values():
        assert f"### `{protocol.id}`" in protocols_doc
        items: list[Any] = [
            *protocol.parameters.values(),
            *protocol.checks,
            *protocol.checkpoints,
        ]
        for item in items:
            if item.policy:
                assert f"### {item.policy} —" in policies_doc
