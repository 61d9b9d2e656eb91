"""Audit: the append-only record of who read or changed which patient's data."""
