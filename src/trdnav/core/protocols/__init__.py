"""Treatment-course protocols: data, session checks, course plans and outcomes (issue 12).

Pure: reads its own data files (``data/*.toml``) and the knowledge base, never the clock or a
database. Spec: docs/protocols.md; policies P-C1 onward in docs/clinical-policies.md.
"""

from trdnav.core.protocols.checks import check_session
from trdnav.core.protocols.limits import effective_limits
from trdnav.core.protocols.load import (
    get_protocol,
    load_protocols,
    protocols_for_therapy,
    protocols_version,
    source_register,
)
from trdnav.core.protocols.model import (
    CheckpointSpec,
    CheckSpec,
    FieldSpec,
    MeasureSpec,
    Parameter,
    Phase,
    Protocol,
    ProtocolError,
    RemsRule,
    SessionContext,
)
from trdnav.core.protocols.outcome import course_outcome
from trdnav.core.protocols.plan import plan_course
from trdnav.core.protocols.rems import (
    load_rems_rules,
    rems_deadline,
    rems_prefill,
    rems_rule_in_force,
    rems_state,
    validate_rems_form,
)
from trdnav.core.protocols.results import (
    CheckpointAlert,
    CourseOutcome,
    CoursePlan,
    Finding,
    PlannedMeasure,
    PlannedSession,
    RemsState,
    SessionCheck,
)
from trdnav.core.protocols.values import validate_values

__all__ = [
    "CheckSpec",
    "CheckpointAlert",
    "CheckpointSpec",
    "CourseOutcome",
    "CoursePlan",
    "FieldSpec",
    "Finding",
    "MeasureSpec",
    "Parameter",
    "Phase",
    "PlannedMeasure",
    "PlannedSession",
    "Protocol",
    "ProtocolError",
    "RemsRule",
    "RemsState",
    "SessionCheck",
    "SessionContext",
    "check_session",
    "course_outcome",
    "effective_limits",
    "get_protocol",
    "load_protocols",
    "load_rems_rules",
    "plan_course",
    "protocols_for_therapy",
    "protocols_version",
    "rems_deadline",
    "rems_prefill",
    "rems_rule_in_force",
    "rems_state",
    "source_register",
    "validate_rems_form",
    "validate_values",
]
