"""Deterministic demo data for ``trdnav demo``.

The loader needs Django; the personas and generated histories do not, so the loader is imported
only when asked for (the core's tests read the personas without a configured Django).
"""

from __future__ import annotations

from typing import Any

__all__ = ["DemoLogin", "load_demo_data"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from trdnav.demo import loader

        return getattr(loader, name)
    raise AttributeError(name)
