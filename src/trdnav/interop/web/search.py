"""Search parameters and the paged ``searchset`` Bundle.

Supported on each type (the CapabilityStatement lists the same, from ``types.TYPES``):
``patient`` (``Patient/1`` or ``1``), ``date`` with the prefixes ``eq`` (default), ``ne``,
``ge``, ``gt``, ``le``, ``lt`` on a day, month or year (repeat it for a range:
``date=ge2026-01-01&date=lt2026-02-01``), ``code`` as ``system|code``, ``code`` or ``|code``
(comma = any of them), ``identifier`` the same way (a Patient's record number), ``_id``,
``url`` (Questionnaire), ``questionnaire`` (QuestionnaireResponse), ``_count`` (default 20,
at most 200; 0 gives only ``total``) and ``_offset`` (the ``next`` link's own parameter).
An unknown or malformed parameter is a 400 naming it: a client never gets silently
unfiltered results.

Order is stable: by the resource's date (oldest first), then its id, so ``next`` links walk
every match exactly once while the records do not change.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from trdnav.core.limits import MAX_OFFSET
from trdnav.interop.base import Resource, reference_id
from trdnav.interop.web.responses import FhirError

DEFAULT_COUNT = 20
MAX_COUNT = 200
_PREFIXES = ("eq", "ne", "ge", "gt", "le", "lt")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")
_ALWAYS = ("_count", "_offset", "_format")
_JSON_FORMATS = ("json", "application/json", "application/fhir+json")


@dataclass(frozen=True)
class DateTest:
    prefix: str
    first: date
    last: date

    def accepts(self, day: date) -> bool:
        inside = self.first <= day <= self.last
        return {
            "eq": inside,
            "ne": not inside,
            "ge": day >= self.first,
            "gt": day > self.last,
            "le": day <= self.last,
            "lt": day < self.first,
        }[self.prefix]


@dataclass(frozen=True)
class Search:
    patient: str | None = None
    dates: tuple[DateTest, ...] = ()
    codes: tuple[tuple[str | None, str], ...] = ()
    ids: tuple[str, ...] = ()
    identifiers: tuple[tuple[str | None, str], ...] = ()
    urls: tuple[str, ...] = ()
    count: int = DEFAULT_COUNT
    offset: int = 0
    given: list[tuple[str, str]] = field(default_factory=list)  # for the links


def parse_date(text: str) -> DateTest:
    prefix, value = (text[:2], text[2:]) if text[:2] in _PREFIXES else ("eq", text)
    match = _DATE.match(value)
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = int(match[1]), match[2], match[3]
        if month is None:
            return DateTest(prefix, date(year, 1, 1), date(year, 12, 31))
        if day is None:
            last = calendar.monthrange(year, int(month))[1]
            return DateTest(prefix, date(year, int(month), 1), date(year, int(month), last))
        one = date(year, int(month), int(day))
        return DateTest(prefix, one, one)
    except ValueError:
        raise FhirError(
            400, "expected [eq|ne|ge|gt|le|lt]YYYY[-MM[-DD]], e.g. ge2026-01-01", "date"
        ) from None


def _codes(text: str, name: str = "code") -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = []
    for token in text.split(","):
        system, bar, code = token.rpartition("|")
        if not code:
            raise FhirError(400, f"expected system|{name}, {name} or |{name}", name)
        out.append((system if bar else None, code))
    return out


def _integer(name: str, text: str, top: int) -> int:
    if not text.isdigit() or int(text) > top:
        raise FhirError(400, f"expected a whole number from 0 to {top}", name)
    return int(text)


def parse_search(params: Sequence[tuple[str, str]], allowed: Sequence[str]) -> Search:
    """``params`` as (name, value) pairs; ``allowed``: this type's search parameters."""
    values: dict[str, Any] = {"dates": [], "codes": [], "ids": [], "urls": [], "identifiers": []}
    for name, value in params:
        if name not in allowed and name not in _ALWAYS:
            known = ", ".join([*allowed, *_ALWAYS])
            raise FhirError(400, f"unknown search parameter; this type supports {known}", name)
        if name == "_format" and value not in _JSON_FORMATS:
            raise FhirError(400, "only JSON is served", "_format")
        elif name in ("patient", "subject"):
            values["patient"] = value.removeprefix("Patient/")
        elif name == "date":
            values["dates"].append(parse_date(value))
        elif name == "code":
            values["codes"] += _codes(value)
        elif name == "identifier":
            values["identifiers"] += _codes(value, name)
        elif name == "_id":
            values["ids"] += value.split(",")
        elif name in ("url", "questionnaire"):
            values["urls"] += [v.split("|", 1)[0] for v in value.split(",")]
        elif name == "_count":
            values["count"] = _integer(name, value, MAX_COUNT)
        elif name == "_offset":
            values["offset"] = _integer(name, value, MAX_OFFSET)
    given = [(n, v) for n, v in params if n != "_offset"]
    return Search(
        patient=values.get("patient"),
        dates=tuple(values["dates"]),
        codes=tuple(values["codes"]),
        ids=tuple(values["ids"]),
        identifiers=tuple(values["identifiers"]),
        urls=tuple(values["urls"]),
        count=values.get("count", DEFAULT_COUNT),
        offset=values.get("offset", 0),
        given=given,
    )


# Where each type keeps the date and the code that ``date`` and ``code`` search.
def resource_date(resource: Mapping[str, Any]) -> str | None:
    for path in (
        ("effectiveDateTime",), ("authored",), ("onsetDateTime",), ("performedDateTime",),
        ("effectivePeriod", "start"), ("birthDate",),
    ):  # fmt: skip
        value: Any = resource
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        if isinstance(value, str):
            return value[:10]
    return None


def _concepts(resource: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    concepts = [resource.get("code"), resource.get("medicationCodeableConcept")]
    listed = resource.get("code") if isinstance(resource.get("code"), list) else []
    return [c for c in concepts if isinstance(c, Mapping)] + [{"coding": listed}]


def _has_code(resource: Mapping[str, Any], wanted: Sequence[tuple[str | None, str]]) -> bool:
    codings = [c for concept in _concepts(resource) for c in concept.get("coding", [])]
    return any(
        c.get("code") == code and (system is None or c.get("system", "") == system)
        for system, code in wanted
        for c in codings
    )


def _has_identifier(resource: Mapping[str, Any], wanted: Sequence[tuple[str | None, str]]) -> bool:
    found = resource.get("identifier")
    listed = found if isinstance(found, list) else [found] if isinstance(found, Mapping) else []
    return any(
        i.get("value") == value and (system is None or i.get("system", "") == system)
        for system, value in wanted
        for i in listed
    )


def patient_of(resource: Mapping[str, Any]) -> str | None:
    if resource.get("resourceType") == "Patient":
        return str(resource.get("id"))
    return reference_id(resource.get("subject"), "Patient")


def matches(resource: Mapping[str, Any], search: Search) -> bool:
    if search.ids and resource.get("id") not in search.ids:
        return False
    if (
        search.urls
        and resource.get("url", str(resource.get("questionnaire", "")).split("|")[0])
        not in search.urls
    ):
        return False
    if search.codes and not _has_code(resource, search.codes):
        return False
    if search.identifiers and not _has_identifier(resource, search.identifiers):
        return False
    if search.dates:
        day = resource_date(resource)
        if day is None or not all(t.accepts(date.fromisoformat(day)) for t in search.dates):
            return False
    return True


def ordered(resources: Sequence[Resource]) -> list[Resource]:
    return sorted(resources, key=lambda r: (resource_date(r) or "", str(r.get("id"))))


def searchset(
    matched: Sequence[Resource],
    search: Search,
    *,
    base: str,
    self_url: Callable[[list[tuple[str, str]]], str],
) -> tuple[Resource, list[Resource]]:
    """The page's Bundle and the resources on it. ``base``: ``…/fhir/R4``."""
    page = list(matched[search.offset : search.offset + search.count])
    links = [
        {"relation": "self", "url": self_url([*search.given, ("_offset", str(search.offset))])}
    ]
    if search.count and search.offset + search.count < len(matched):
        following = [*search.given, ("_offset", str(search.offset + search.count))]
        links.append({"relation": "next", "url": self_url(following)})
    if search.offset > 0 and search.count:
        earlier = [*search.given, ("_offset", str(max(0, search.offset - search.count)))]
        links.append({"relation": "previous", "url": self_url(earlier)})
    bundle: Resource = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(matched),
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in page
        ],
    }
    if not bundle["entry"]:
        del bundle["entry"]
    return bundle, page


def query_string(params: Sequence[tuple[str, str]]) -> str:
    return urlencode(list(params))
