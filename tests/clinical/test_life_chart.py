"""The life chart's geometry (policies P-CH1, P-CH2): one time axis for treatments and scores,
the last-year range, tick labels that never overlap, one-point charts centred."""

from __future__ import annotations

import itertools
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from trdnav.clinical.lifechart import (
    CHAR_WIDTH,
    NARROW,
    WIDE,
    Layout,
    TimeAxis,
    chosen_range,
    domain,
    life_chart,
    spans,
    ticks,
    treatment_label,
)

AS_OF = date(2026, 11, 30)
HISTORY = {
    "treatments": [
        {"id": "t1", "kind": "antidepressant", "drug": "sertraline", "start": "2018-03-01",
         "end": "2018-09-01", "outcome": "non_response"},
        {"id": "t2", "kind": "augmentation", "agent": "lithium", "start": "2026-02-10",
         "end": None},
        {"id": "course-7", "kind": "ect", "laterality": "right_unilateral",
         "start": "2025-05-01", "end": "2025-06-15"},
    ]
}  # fmt: skip


def _series(*points: tuple[str, int]) -> dict[str, Any]:
    return {
        "code": "phq9", "label": "PHQ-9", "name": "Patient Health Questionnaire", "min": 0,
        "max": 27, "baseline": {"date": points[0][0], "total": points[0][1]},
        "points": [list(p) for p in points],
        "thresholds": [
            {"kind": "response", "value": 10.0, "label": "response", "status": "verified"},
            {"kind": "remission", "value": 10.0, "label": "remission", "status": "verified"},
        ],
    }  # fmt: skip


def _course(pk: int, start: date, status: str, ended: date | None = None) -> Any:
    return SimpleNamespace(
        pk=pk, start_date=start, status=status, ended_on=ended, protocol_name="rTMS 10 Hz",
        get_status_display=lambda: status.capitalize(),
    )  # fmt: skip


def test_a_bar_and_a_score_on_the_same_day_share_one_x() -> None:
    series = [_series(("2026-02-10", 20), ("2026-06-01", 12))]
    chart = life_chart(HISTORY, [], series, AS_OF, "all")
    for layout in ("wide", "narrow"):
        drawn = chart[layout]
        lithium = next(b for b in drawn["bars"] if b["key"] == "t2")
        point = next(p for p in drawn["panels"][0]["points"] if p["date"] == "2026-02-10")
        assert lithium["x"] == point["x"]
        assert lithium["open"] and lithium["end"] == ""


def test_the_axis_maps_its_ends_to_the_plot_edges() -> None:
    axis = TimeAxis(date(2020, 1, 1), date(2021, 1, 1), WIDE)
    assert axis.x(date(2020, 1, 1)) == 40.0
    assert axis.x(date(2021, 1, 1)) == WIDE.width - 14.0


def test_the_last_year_clips_older_treatments_and_drops_older_scores() -> None:
    series = [_series(("2018-04-01", 25), ("2026-06-01", 12))]
    chart = life_chart(HISTORY, [], series, AS_OF, "1y")
    assert (chart["start"], chart["end"]) == (date(2025, 11, 30), AS_OF)
    keys = [b["key"] for b in chart["wide"]["bars"]]
    assert keys == ["t2"]  # sertraline 2018 and the 2025 ECT course are outside the year
    assert [p["date"] for p in chart["wide"]["panels"][0]["points"]] == ["2026-06-01"]
    assert [s["date"] for s in chart["table_scores"]] == ["2026-06-01"]
    assert chart["ranges"][0] == {"key": "1y", "label": "Last year", "current": True}


def test_an_unknown_range_means_all() -> None:
    assert chosen_range("5y") == "all" and chosen_range(None) == "all"
    assert chosen_range("1y") == "1y"


def test_one_point_sits_mid_axis_with_distinct_ticks() -> None:
    series = [_series(("2026-11-30", 20))]
    start, end = domain([], series, AS_OF, "all")
    assert start < date(2026, 11, 30) < end
    chart = life_chart(None, [], series, AS_OF, "all")
    point = chart["wide"]["panels"][0]["points"][0]
    assert point["x"] == pytest.approx((40 + WIDE.width - 14) / 2, abs=1)
    labels = [t["label"] for t in chart["wide"]["ticks"]]
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("layout", [WIDE, NARROW])
@pytest.mark.parametrize(
    ("first", "last"),
    [(date(2026, 11, 1), AS_OF), (date(2025, 11, 30), AS_OF), (date(2018, 1, 1), AS_OF),
     (date(1990, 1, 1), AS_OF), (date(2026, 10, 31), AS_OF)],
)  # fmt: skip
def test_tick_labels_never_overlap(layout: Layout, first: date, last: date) -> None:
    found = ticks(TimeAxis(first, last, layout))
    assert found
    for a, b in itertools.pairwise(found):
        half_widths = (len(a["label"]) + len(b["label"])) * CHAR_WIDTH / 2
        assert b["x"] - a["x"] >= half_widths, (a, b)


def test_a_course_in_the_history_is_drawn_once_and_open_courses_run_to_today() -> None:
    courses = [
        _course(7, date(2025, 5, 1), "completed", date(2025, 6, 15)),
        _course(8, date(2026, 10, 1), "active"),
        _course(9, date(2027, 1, 1), "planned"),  # not started: not drawn
    ]
    found = spans(HISTORY, courses, AS_OF)
    assert [s.key for s in found].count("course-7") == 1
    active = next(s for s in found if s.key == "course-8")
    assert active.end is None and active.label == "rTMS 10 Hz (course)"
    assert "course-9" not in [s.key for s in found]


def test_treatments_are_named_by_drug_then_kind_in_words() -> None:
    assert treatment_label({"kind": "antidepressant", "drug": "sertraline"}) == (
        "sertraline (antidepressant)"
    )
    assert treatment_label({"kind": "ect", "laterality": "right_unilateral"}) == (
        "right unilateral (ECT)"
    )
    assert treatment_label({"kind": "esketamine"}) == "Esketamine"


def test_coinciding_response_and_remission_lines_are_said_to_coincide() -> None:
    chart = life_chart(None, [], [_series(("2026-01-01", 20), ("2026-03-01", 9))], AS_OF, "all")
    panel = chart["wide"]["panels"][0]
    assert panel["coincide"]
    assert {t["kind"] for t in panel["thresholds"]} == {"response", "remission"}


def test_nothing_to_draw_is_said_plainly() -> None:
    assert life_chart(None, [], [], AS_OF, "all")["empty"]
