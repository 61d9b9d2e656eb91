"""Shared fixtures. Database tests use pytest-django's ``db`` fixture (a real database)."""
