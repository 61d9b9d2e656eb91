"""docs/medications.md lists every interaction rule (with what was read) and every drug."""

from __future__ import annotations

from pathlib import Path

from trdnav.core.medications import MedicationTable

DOC = Path(__file__).resolve().parents[3] / "docs" / "medications.md"


def test_every_rule_has_a_review_line_naming_its_source(table: MedicationTable) -> None:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    for rule in table.rules:
        (line,) = [x for x in lines if x.startswith(f"| `{rule.id}` |")]
        assert f"`{rule.fact.source}`" in line, rule.id
        assert rule.severity.value in line, rule.id


def test_every_drug_is_in_the_documented_table(table: MedicationTable) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert [d for d in table.drugs if f"| `{d}` |" not in text] == []


def test_the_documented_drug_table_matches_the_data(table: MedicationTable) -> None:
    text = DOC.read_text(encoding="utf-8")
    for drug in table.drugs.values():
        washout = drug.washout
        counts = f"{washout.days} days ({washout.fact.status.value})" if washout else "—"
        row = (
            f"| `{drug.id}` | {', '.join(drug.aliases) or '—'} | "
            f"{', '.join(sorted(drug.classes))} | {counts} | {drug.fact.status.value} |"
        )
        assert row in text, drug.id
