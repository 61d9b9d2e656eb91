"""Deterministic demo data for ``trdnav demo``."""

from trdnav.demo.loader import DemoLogin, load_demo_data

__all__ = ["DemoLogin", "load_demo_data"]
