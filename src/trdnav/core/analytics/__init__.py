"""Cohort statistics for outcome analytics: pure arithmetic on counts, no database.

``proportions`` (Wilson score intervals), ``survival`` (Kaplan–Meier on tallied times with
censoring, and the median), ``suppression`` (small-cell suppression with complementary cells so
that no suppressed count can be recovered by subtraction) and ``expected`` (the knowledge base's
response and remission figures per therapy, used to calibrate the synthetic cohort). The
database layer (``trdnav.analytics``) tallies in SQL and hands the tallies to these functions.
"""

from trdnav.core.analytics.proportions import Interval, wilson_interval
from trdnav.core.analytics.suppression import SUPPRESSED, suppressed_cells
from trdnav.core.analytics.survival import KmStep, Tally, kaplan_meier, median_time

__all__ = [
    "SUPPRESSED",
    "Interval",
    "KmStep",
    "Tally",
    "kaplan_meier",
    "median_time",
    "suppressed_cells",
    "wilson_interval",
]
