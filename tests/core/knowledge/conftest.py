from __future__ import annotations

import pytest

from trdnav.core.knowledge import TherapyKnowledge, load_therapies


@pytest.fixture(scope="session")
def knowledge() -> TherapyKnowledge:
    return load_therapies()
