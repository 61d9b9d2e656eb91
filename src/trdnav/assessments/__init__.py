"""Assessments: completed rating instruments with their item answers and stored score."""
