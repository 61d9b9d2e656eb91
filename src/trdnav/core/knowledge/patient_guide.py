"""How treatments are presented to patients and the public (``data/guide/patient_guide.toml``).

The groups people think in (medicines, ketamine and esketamine, brain stimulation, talking
therapies, lifestyle and support, still being studied), a plain title and a one-line summary
per therapy, and the figures and course schedules that get a picture. Pictures never add a
number: each quotes the words of the therapy's patient card it pictures (``from_text``), and
the file is refused when the quote is not in a *verified* statement of that card — so an icon
array can never show an unverified figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from trdnav.core.knowledge import fields
from trdnav.core.knowledge.loader import Status, load_document
from trdnav.core.knowledge.therapies import Category, Therapy, TherapyKnowledge, load_therapies

GUIDE_FILE = "guide/patient_guide.toml"
ICON_TOTAL = 100
DAYS_IN_WEEK = 7


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    intro: str


@dataclass(frozen=True)
class IconArray:
    """``count`` in 100 people; ``label`` completes the sentence "55 in 100 people …"."""

    count: int
    label: str
    from_text: str
    total: int = ICON_TOTAL

    @property
    def alt(self) -> str:
        return f"{self.count} in {self.total} people {self.label}"


@dataclass(frozen=True)
class Phase:
    per_week: int
    weeks: int
    unit: str
    weeks_up_to: int | None = None

    def describe(self) -> str:
        unit = self.unit if self.per_week == 1 else f"{self.unit}s"
        weeks = "week" if self.weeks == 1 else "weeks"
        text = f"{self.per_week} {unit} a week for {self.weeks} {weeks}"
        return text + (f" (sometimes up to {self.weeks_up_to})" if self.weeks_up_to else "")


@dataclass(frozen=True)
class Schedule:
    phases: tuple[Phase, ...]
    from_text: str
    label: str | None = None

    def describe(self) -> str:
        """ "2 visits a week for 4 weeks, then 1 visit a week for 4 weeks"."""
        return self.label or ", then ".join(phase.describe() for phase in self.phases)


@dataclass(frozen=True)
class Presentation:
    therapy_id: str
    title: str
    summary: str
    icons: tuple[IconArray, ...] = ()
    schedule: Schedule | None = None


@dataclass(frozen=True)
class PatientGuide:
    groups: tuple[Group, ...]
    by_category: Mapping[str, str]
    by_id: Mapping[str, str]
    investigational_group: str
    therapies: Mapping[str, Presentation]
    band_texts: Mapping[str, str]

    def group_of(self, therapy: Therapy) -> str:
        """The one group a therapy is listed under: its id's, else investigational, else its
        category's."""
        if therapy.id in self.by_id:
            return self.by_id[therapy.id]
        if therapy.investigational:
            return self.investigational_group
        return self.by_category[therapy.category.value]

    def sections(self, knowledge: TherapyKnowledge) -> list[tuple[Group, list[Presentation]]]:
        """Every group in page order with its therapies in the file's order (most familiar
        first, as the file lists them)."""
        members: dict[str, list[Presentation]] = {group.id: [] for group in self.groups}
        for therapy_id, shown in self.therapies.items():
            members[self.group_of(knowledge.therapy(therapy_id))].append(shown)
        return [(group, members[group.id]) for group in self.groups]


def _group(raw: fields.Table, where: str) -> Group:
    return Group(
        fields.text(raw, "id", where), fields.text(raw, "title", where),
        fields.text(raw, "intro", where),
    )  # fmt: skip


def _icon(raw: fields.Table, where: str) -> IconArray:
    count = fields.integer(raw, "count", where)
    if not 0 <= count <= ICON_TOTAL:
        raise fields.fail(where, f"count must be between none and all {ICON_TOTAL}; got {count}")
    return IconArray(count, fields.text(raw, "label", where), fields.text(raw, "from_text", where))


def _phase(raw: fields.Table, where: str) -> Phase:
    per_week, weeks = fields.integer(raw, "per_week", where), fields.integer(raw, "weeks", where)
    up_to = fields.optional_integer(raw, "weeks_up_to", where)
    if not (1 <= per_week <= DAYS_IN_WEEK and weeks >= 1 and (up_to is None or up_to > weeks)):
        raise fields.fail(
            where, f"needs one to {DAYS_IN_WEEK} a week, one week or more, weeks_up_to above weeks"
        )
    return Phase(per_week, weeks, fields.text(raw, "unit", where), up_to)


def _schedule(raw: fields.Table, where: str) -> Schedule:
    phases = tuple(
        _phase(p, f"{where}.phases[{i}]") for i, p in enumerate(fields.tables(raw, "phases", where))
    )
    if not phases:
        raise fields.fail(where, "phases must not be empty")
    label = fields.optional_text(raw, "label", where)
    return Schedule(phases, fields.text(raw, "from_text", where), label)


def _presentation(therapy_id: str, raw: fields.Table, where: str) -> Presentation:
    icons = tuple(
        _icon(icon, f"{where}.icons[{i}]")
        for i, icon in enumerate(fields.tables(raw, "icons", where))
    )
    schedule = fields.optional_table(raw, "schedule", where)
    return Presentation(
        therapy_id=therapy_id,
        title=fields.text(raw, "title", where),
        summary=fields.text(raw, "summary", where),
        icons=icons,
        schedule=_schedule(schedule, f"{where}.schedule") if schedule is not None else None,
    )


def _strings(raw: fields.Table, where: str) -> dict[str, str]:
    return {str(key): fields.text(raw, str(key), where) for key in raw}


def parse_guide(document: fields.Table, where: str = GUIDE_FILE) -> PatientGuide:
    grouping = fields.table(document, "grouping", where)
    entries = fields.table(document, "therapies", where)
    return PatientGuide(
        groups=tuple(
            _group(g, f"{where} groups") for g in fields.tables(document, "groups", where)
        ),
        by_category=_strings(fields.table(grouping, "by_category", where), f"{where} by_category"),
        by_id=_strings(grouping.get("by_id", {}), f"{where} by_id"),
        investigational_group=fields.text(grouping, "investigational", f"{where} [grouping]"),
        therapies={
            str(key): _presentation(str(key), fields.as_table(value, key), f"{where} {key}")
            for key, value in entries.items()
        },
        band_texts=_strings(
            fields.table(fields.table(document, "self_check", where), "bands", where), where
        ),
    )


def _verified_texts(therapy: Therapy) -> list[str]:
    return [fact.text for fact in therapy.patient.how_well if fact.status is Status.VERIFIED]


def problems(guide: PatientGuide, knowledge: TherapyKnowledge) -> list[str]:
    """Everything wrong between the guide and the therapy knowledge base (empty when sound)."""
    found: list[str] = []
    groups = {group.id for group in guide.groups}
    targets = [*guide.by_category.values(), *guide.by_id.values(), guide.investigational_group]
    found += [f"unknown group {g!r}" for g in targets if g not in groups]
    found += [f"category {c.value} has no group" for c in Category if c not in guide.by_category]
    found += [
        f"unknown therapy {t!r}"
        for t in [*guide.therapies, *guide.by_id]
        if t not in knowledge.therapies
    ]
    for therapy in knowledge.therapies.values():
        found += _therapy_problems(guide, therapy)
    return found


def _therapy_problems(guide: PatientGuide, therapy: Therapy) -> list[str]:
    shown = guide.therapies.get(therapy.id)
    if shown is None:
        return [f"{therapy.id}: no title and summary"]
    found = []
    for icon in shown.icons:
        quoted = f"{icon.count} in {icon.total}" in icon.from_text
        if not quoted or not any(icon.from_text in text for text in _verified_texts(therapy)):
            found.append(f"{therapy.id}: icon {icon.alt!r} not in a verified statement")
    if shown.schedule is not None and shown.schedule.from_text not in therapy.patient.course:
        found.append(f"{therapy.id}: schedule text not in the card's course")
    return found


@cache
def load_patient_guide() -> PatientGuide:
    """The validated guide; raises KnowledgeBaseError naming the first problem."""
    guide = parse_guide(load_document(GUIDE_FILE))
    found = problems(guide, load_therapies())
    if found:
        raise fields.fail(GUIDE_FILE, "; ".join(found))
    return guide


def leaves_out_unverified(therapy: Therapy) -> bool:
    """Whether the patient card holds statements not yet checked against their source: the
    patient view leaves them out, and the page says so once (policy P-G3)."""
    facts = (*therapy.patient.how_well, *therapy.patient.safety)
    unchecked = any(fact.status is not Status.VERIFIED for fact in facts)
    return unchecked or therapy.patient.status is not Status.VERIFIED
