"""Accounts: users, clinics, roles and memberships."""
