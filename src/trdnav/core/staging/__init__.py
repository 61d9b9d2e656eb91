"""TRD staging models (research Part B2): Thase–Rush, European (ESM), MGH-S, Maudsley (MSM)
and DM-TRD (which refuses to score until its table is verified, P-B7).

Each model takes a small typed input and returns a result with a plain-language explanation;
``score_model`` scores one model from the command line's JSON parameters. Staging a whole
treatment history is ``trdnav.core.history.assess_history``.
"""

from __future__ import annotations

from trdnav.core.staging.dm_trd import DmTrdInput, DmTrdResult, dm_trd_refusal, score_dm_trd
from trdnav.core.staging.european import EuropeanInput, EuropeanResult, stage_european
from trdnav.core.staging.maudsley import MaudsleyInput, MaudsleyResult, stage_maudsley
from trdnav.core.staging.mgh_s import MghsInput, MghsResult, MghsTrial, score_mgh_s
from trdnav.core.staging.params import MODELS, score_model
from trdnav.core.staging.thase_rush import ThaseRushInput, ThaseRushResult, stage_thase_rush

__all__ = [
    "MODELS",
    "DmTrdInput",
    "DmTrdResult",
    "EuropeanInput",
    "EuropeanResult",
    "MaudsleyInput",
    "MaudsleyResult",
    "MghsInput",
    "MghsResult",
    "MghsTrial",
    "ThaseRushInput",
    "ThaseRushResult",
    "dm_trd_refusal",
    "score_dm_trd",
    "score_mgh_s",
    "score_model",
    "stage_european",
    "stage_maudsley",
    "stage_thase_rush",
]
