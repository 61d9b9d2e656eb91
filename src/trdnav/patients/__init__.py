"""Patients: demographic records scoped to a clinic, and the access rules that reach them."""
