"""The Wilson score interval for a binomial proportion (Wilson 1927; Newcombe 1998, method 3).

Chosen over the simple (Wald) interval because clinic cells are small and rates are often near
0 or 1, where the Wald interval collapses to zero width or leaves [0, 1]; Newcombe (1998)
recommends the score interval for exactly this (P-AN1 in docs/clinical-policies.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trdnav.core.errors import InvalidInput

# The two-sided 95% normal quantile, to the precision the published tables are computed with.
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def to_dict(self) -> dict[str, float]:
        return {"low": self.low, "high": self.high}


def wilson_interval(successes: int, total: int, z: float = Z_95) -> Interval | None:
    """The Wilson score interval of ``successes`` out of ``total``; None when ``total`` is 0.

    (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), with p = successes / n.
    """
    if total < 0 or successes < 0 or successes > total:
        raise InvalidInput.single("successes", "must be between zero and the total")
    if total == 0:
        return None
    p = successes / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    spread = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    scale = 1 + z2 / total
    # Exact 0 and 1 at the extremes: rounding must not put a bound just outside [0, 1].
    low = 0.0 if successes == 0 else (centre - spread) / scale
    high = 1.0 if successes == total else (centre + spread) / scale
    return Interval(low, high)
