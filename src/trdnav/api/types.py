"""Input types of the API that accept exactly what the OpenAPI document says.

Pydantic's lax mode would take ``"active": 0`` as false and ``as_of=0`` as 1 January 1970
(a Unix timestamp); a client sending those has made a mistake, so they are refused (422)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Strict

from trdnav.core.limits import EARLIEST_DATE, LATEST_DATE

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    day = date.fromisoformat(value)
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"must be between {EARLIEST_DATE} and {LATEST_DATE}")
    return day


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
StrictBool = Annotated[bool, Strict()]
