"""Rating instruments: definitions from the knowledge base, one scoring module per instrument.

Spec: instrument_notes Part A. Call ``score_instrument(code, answers)``; it
returns a ``ScoreResult`` and never raises for wrong answers (only for an unknown code).
"""

from trdnav.core.instruments.definition import (
    AnswerSet,
    BandScheme,
    Definition,
    InputKind,
    Item,
    Respondent,
)
from trdnav.core.instruments.registry import (
    INSTRUMENT_CODES,
    Instrument,
    UnknownInstrument,
    get_instrument,
    list_instruments,
    score_instrument,
)
from trdnav.core.instruments.result import Priority, Safety, ScoreResult

__all__ = [
    "INSTRUMENT_CODES",
    "AnswerSet",
    "BandScheme",
    "Definition",
    "InputKind",
    "Instrument",
    "Item",
    "Priority",
    "Respondent",
    "Safety",
    "ScoreResult",
    "UnknownInstrument",
    "get_instrument",
    "list_instruments",
    "score_instrument",
]
