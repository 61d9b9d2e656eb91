from __future__ import annotations

from datetime import date

import pytest

from trdnav.core.medications import MedicationTable, load_medication_table

AS_OF = date(2026, 11, 30)


@pytest.fixture(scope="session")
def table() -> MedicationTable:
    return load_medication_table()
