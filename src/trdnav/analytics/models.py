"""What analytics needs about a course beyond the course itself.

``CourseContext`` holds the course's TRD stage at its start (Thase–Rush, from the history
snapshot before the course, or written by the synthetic cohort) and whether the course is
synthetic. It is kept beside the course, not on it, so that analytics can be refreshed without
touching clinical rows.
"""

from __future__ import annotations

from django.db import models

from trdnav.courses.models import Course

UNKNOWN_STAGE = ""


class CourseContext(models.Model):
    course = models.OneToOneField(
        Course, on_delete=models.CASCADE, primary_key=True, related_name="analytics_context"
    )
    trd_stage = models.CharField(max_length=10, blank=True, default=UNKNOWN_STAGE)
    synthetic = models.BooleanField(default=False)

    class Meta:
        indexes = (models.Index(fields=["trd_stage"], name="coursecontext_stage"),)

    def __str__(self) -> str:
        return f"context of course {self.course_id}: stage {self.trd_stage or 'unknown'}"
