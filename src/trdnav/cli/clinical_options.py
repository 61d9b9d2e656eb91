"""``trdnav options`` and ``trdnav therapies``: next-step options and the therapy knowledge base."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from trdnav.cli.output import exit_on_invalid, fail_with, print_json, read_json_input
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.knowledge import load_therapies, therapy_card
from trdnav.core.recommend import parse_patient, ranking_explanation, recommend

AUDIENCES = ("clinician", "patient")
therapies_app = typer.Typer(
    help="The therapy knowledge base.", no_args_is_help=False, invoke_without_command=True
)


def _as_of(value: str | None) -> date:
    if value is None:
        # The command line is the only place the clock is read: today in local time.
        return datetime.now(UTC).astimezone().date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail_with([FieldError("as_of", "must be a date YYYY-MM-DD")])


def options(
    input_file: Annotated[
        Path | None, typer.Option("--input", help="Patient JSON (default: standard input).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Decision date YYYY-MM-DD (default: today).")
    ] = None,
    explain_ranking: Annotated[
        bool, typer.Option("--explain-ranking", help="Also print the ranking factors and weights.")
    ] = False,
) -> None:
    """Every next-step option for a patient: status, urgency, rank, reasons and citations.

    Patient JSON (every key optional), for example:

    {"date_of_birth": "1980-05-01",
     "facts": ["psychotic_features",
       {"code": "myocardial_infarction", "on": "2026-10-10"},
       {"code": "pregnancy", "trimester": 2}],
     "absent_facts": ["bipolar_spectrum", "seizure_disorder"],
     "medications": ["sertraline",
       {"name": "fluoxetine", "stopped_on": "2026-11-01"}],
     "preferences": ["needs_rapid_relief"],
     "history": {...}, "offered": ["ect", "rtms", "cbt"]}

    - age or date_of_birth (YYYY-MM-DD); if both are given they must agree.
    - facts: present now; a code, or {code, on} for a dated event
      (myocardial_infarction, stroke, intracerebral_haemorrhage), or
      {code: pregnancy, trimester: 1-3}.
    - absent_facts: codes or groups (e.g. bipolar_spectrum) checked and absent.
    - A fact in neither list is UNKNOWN: an option whose safety depends on it
      is at most "caution", and "to_check" lists what to check for which options.
    - medications: generic names (or a brand in the drug table) or
      {name, stopped_on}; a stopped drug still counts inside its washout
      (e.g. 14 days after an MAOI, 35 after fluoxetine). Missing or null
      means not recorded: every drug option (and ECT) is at most "caution"
      and "to_check" asks for the list. [] means none.

    Output: "warnings" lists each dangerous pair already in the list
    (kind "interaction", severity contraindicated / major / moderate, drugs,
    source), most severe first, and names not recognised (kind
    "unrecognised_medication": drug options at most "caution"). Each option
    lists the "interactions" it would add: contraindicated makes it
    "contraindicated", major or moderate "caution". See docs/medications.md.
    - history: docs/history-schema.md; codes: docs/clinical-content.md.

    Status: contraindicated > already_failed > not_offered > caution > suitable.
    Urgency orders options only within the same status.
    Wrong input: exit status 2, with every wrong field (e.g. facts[2].on).
    """
    knowledge = load_therapies()
    when = _as_of(as_of)
    try:
        patient = parse_patient(read_json_input(input_file), knowledge, as_of=when)
        result = recommend(patient, knowledge, as_of=when)
    except InvalidInput as exc:
        exit_on_invalid(exc)
    payload: dict[str, Any] = result.to_dict()
    if explain_ranking:
        payload["ranking"] = ranking_explanation(knowledge)
    print_json(payload)


@therapies_app.callback()
def therapies(ctx: typer.Context) -> None:
    """List therapy ids (with name, category and status)."""
    if ctx.invoked_subcommand is not None:
        return
    knowledge = load_therapies()
    print_json(
        {
            "knowledge_version": knowledge.version,
            "therapies": [
                {
                    "id": t.id,
                    "name": t.name,
                    "category": t.category.value,
                    "investigational": t.investigational,
                }
                for t in knowledge.therapies.values()
            ],
        }
    )


@therapies_app.command("show")
def show(
    therapy_id: Annotated[str, typer.Argument(metavar="ID", help="Therapy id (trdnav therapies).")],
    audience: Annotated[
        str, typer.Option("--audience", help="clinician or patient.")
    ] = "clinician",
) -> None:
    """Print one therapy's card; ``--audience patient`` gives the plain-language version."""
    knowledge = load_therapies()
    if audience not in AUDIENCES:
        fail_with([FieldError("audience", f"must be one of {', '.join(AUDIENCES)}")])
    try:
        therapy = knowledge.therapy(therapy_id)
    except InvalidInput as exc:
        exit_on_invalid(exc)
    print_json(
        {
            "knowledge_version": knowledge.version,
            **therapy_card(therapy, audience, dict(knowledge.sources)),
        }
    )


def register(app: typer.Typer) -> None:
    """Add ``options`` and the ``therapies`` group to ``app``."""
    app.command()(options)
    app.add_typer(therapies_app, name="therapies")
