"""The loop of a treatment course back to the next step (issue 12, item 4; docs/courses.md,
"The loop"): the outcome from its measures (``course_outcome_for``), its measure schedule in the
portal and as rating reminders, checkpoint alerts on the dashboard, and the ended course
written into the treatment history so that TRD status, stages and options follow."""

from trdnav.courses.loop.outcome import course_outcome_for, refresh_course_outcome

__all__ = ["course_outcome_for", "refresh_course_outcome"]
