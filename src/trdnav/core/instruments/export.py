"""Plain JSON-ready views of instrument definitions (for ``trdnav instruments`` and the API)."""

from __future__ import annotations

from dataclasses import asdict

from trdnav.core.instruments.registry import Instrument


def summary(instrument: Instrument) -> dict[str, object]:
    definition = instrument.definition
    return {
        "code": definition.code,
        "abbreviation": definition.abbreviation,
        "name": definition.name,
        "respondent": definition.respondent.value,
        "input": definition.input_kind.value,
        "item_count": definition.item_count,
        "status": definition.provenance.status.value,
    }


def full_definition(instrument: Instrument) -> dict[str, object]:
    """Every field of the definition, with each part's status and source."""
    data = asdict(instrument.definition)
    data["item_count"] = instrument.item_count
    data["provenance"]["reviewed_on"] = instrument.definition.provenance.reviewed_on.isoformat()
    return data
