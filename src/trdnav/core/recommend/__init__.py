"""The next-step options engine: eligibility, contraindications, urgency, ranking, explanations.

Public API::

    knowledge = load_therapies()
    patient = parse_patient(raw_json, knowledge)
    result = recommend(patient, knowledge, as_of=date(...))
    result.to_dict()          # exactly what ``trdnav options`` prints

Every decision comes from the knowledge base (``trdnav/core/knowledge/data``); see
docs/clinical-content.md and the "Next-step options" policies in docs/clinical-policies.md.
"""

from trdnav.core.recommend.assess import OptionStatus
from trdnav.core.recommend.engine import recommend
from trdnav.core.recommend.explain import ranking_explanation
from trdnav.core.recommend.patient import PatientProfile, parse_patient
from trdnav.core.recommend.reasons import Reason, ReasonKind
from trdnav.core.recommend.result import OptionResult, Recommendation

__all__ = [
    "OptionResult",
    "OptionStatus",
    "PatientProfile",
    "Reason",
    "ReasonKind",
    "Recommendation",
    "parse_patient",
    "ranking_explanation",
    "recommend",
]
