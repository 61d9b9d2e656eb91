from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from trdnav.core.knowledge import TherapyKnowledge, load_therapies
from trdnav.core.recommend import Recommendation, parse_patient, recommend

AS_OF = date(2024, 10, 1)


@pytest.fixture(scope="session")
def knowledge() -> TherapyKnowledge:
    return load_therapies()


def advise(raw: dict[str, Any]) -> Recommendation:
    knowledge = load_therapies()
    return recommend(parse_patient(raw, knowledge), knowledge, as_of=AS_OF)
