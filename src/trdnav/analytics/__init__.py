"""Cohort outcome analytics over a clinic's courses (docs/analytics.md).

``queries`` tallies in the database (GROUP BY, one statement per kind of number, on the
analytics database alias of ``routing``); ``report`` turns the tallies into rates, intervals,
Kaplan–Meier curves and medians with ``trdnav.core.analytics``, and suppresses small cells;
``synthetic`` writes the synthetic cohort of ``trdnav.core.analytics.cohort``.
"""
