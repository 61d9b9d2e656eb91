"""The API's JSON body parser: the limits of ``trdnav.core.jsonin`` on every request body.

A body nested too deeply, with a huge integer, NaN or a string PostgreSQL cannot store (a NUL
character, an unpaired surrogate) is refused before any handler runs: ninja turns the parser's
exception into a 400, and ``errors.install`` answers 422 with the field path when the cause
names one (``given_name``, ``treatments[2].notes``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

from trdnav.core.jsonin import load_json


class LimitedJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        return load_json(request.body, field="body")
