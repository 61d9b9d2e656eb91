"""What the dashboard stores: which course checkpoint alerts the care team acknowledged.

Checkpoint alerts themselves are computed from the course and its measures each time
(``trdnav.courses.loop.alerts``), like the worsening alerts; an acknowledgement hides one alert
of one course for good (one row per course and rule: acknowledging twice stores one row).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trdnav.courses.models import Course


class CheckpointAcknowledgement(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=80)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    acknowledged_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["course", "rule"], name="one_ack_per_course_rule"),
        )

    def __str__(self) -> str:
        return f"{self.rule} acknowledged on course {self.course_id}"
