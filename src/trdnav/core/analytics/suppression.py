"""Small-cell suppression that cannot be undone by subtraction (P-AN3).

A cell counting fewer than ``minimum`` people (but at least one) is suppressed. A breakdown's
total is shown in full, so a single suppressed cell would be recovered as total minus the
visible cells; complementary cells are therefore suppressed too, the smallest first, until at
least two cells are hidden and the hidden cells together count at least ``minimum``. Then the
subtraction yields only the sum of several cells, itself not small. When the total itself is
below the minimum, every cell and the total are suppressed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from trdnav.core.errors import InvalidInput

SUPPRESSED = "suppressed"
K = TypeVar("K", bound=Hashable)


def suppressed_cells(counts: Mapping[K, int], minimum: int) -> set[K]:
    """The keys of ``counts`` to hide (primary and complementary)."""
    if minimum < 1:
        raise InvalidInput.single("minimum", "must be at least one")
    if sum(counts.values()) < minimum:
        return {key for key, count in counts.items() if count > 0}
    hidden = {key for key, count in counts.items() if 0 < count < minimum}
    if not hidden:
        return hidden
    # Smallest first; ties in the order the breakdown lists them, so the choice is stable.
    candidates = sorted((key for key in counts if key not in hidden), key=lambda k: counts[k])
    while candidates and (len(hidden) < 2 or sum(counts[k] for k in hidden) < minimum):
        hidden.add(candidates.pop(0))
    return hidden
