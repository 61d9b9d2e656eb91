"""Judging ECT, TMS, ketamine, esketamine and psychotherapy courses.

No adequacy rule for these courses is verified in the research, so a course is judged on its
outcome alone: it failed when its outcome is non-response under the profile's rule [P-B17].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trdnav.core.history.knowledge import AdequacyProfile
from trdnav.core.history.model import Course, Outcome
from trdnav.core.history.outcome import judged_outcome


@dataclass(frozen=True)
class CourseVerdict:
    course: Course
    profile: str
    outcome: str
    failed: bool
    current_episode: bool

    def to_dict(self) -> dict[str, Any]:
        c = self.course
        return {
            "id": c.id,
            "kind": str(c.kind),
            "episode": c.episode,
            "current_episode": self.current_episode,
            "laterality": None if c.laterality is None else str(c.laterality),
            "protocol": None if c.protocol is None else str(c.protocol),
            "modality": None if c.modality is None else str(c.modality),
            "sessions": c.sessions,
            "outcome": self.outcome,
            "failed": self.failed,
            "counts_as_failed": self.failed and self.current_episode,
            "adequacy": "not_assessed",
        }


def judge_course(course: Course, profile: AdequacyProfile, current: str) -> CourseVerdict:
    outcome = judged_outcome(course.response, profile)
    failed = outcome == Outcome.NON_RESPONSE
    return CourseVerdict(course, profile.name, outcome, failed, course.episode == current)
