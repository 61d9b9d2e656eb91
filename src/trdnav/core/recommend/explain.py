"""The ranking policy as data, for ``trdnav options --explain-ranking`` and the web app."""

from __future__ import annotations

from typing import Any

from trdnav.core.knowledge.therapies import TherapyKnowledge


def ranking_explanation(knowledge: TherapyKnowledge) -> dict[str, Any]:
    ranking = knowledge.ranking
    return {
        "file": "trdnav/core/knowledge/data/recommend/ranking.toml",
        "order": "status bucket, then urgent first within the bucket, then score (high first),"
        " then therapy id",
        "evidence_tier": dict(ranking.tier_weights),
        "weights": dict(ranking.weights),
        "limited_time": dict(ranking.limited_time),
        "preferences": [
            {"preference": p.preference, "trait": p.trait, "weight": p.weight, "reason": p.reason}
            for p in ranking.preferences
        ],
        "history_factors": [
            {
                "id": f.id,
                "categories": list(f.categories),
                "weight": f.weight,
                "reason": f.reason,
                **f.fact.cite(),
            }
            for f in ranking.history_factors
        ],
        "status_buckets": dict(ranking.status_buckets),
        "therapy_traits": {
            t.id: {
                "evidence_tier": t.traits.evidence_tier.value,
                "time_burden": t.traits.time_burden.value,
            }
            for t in knowledge.therapies.values()
        },
    }
