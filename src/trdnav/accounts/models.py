"""Account models.

The project's own user model exists from the first migration so that roles and clinic
memberships can be added without swapping ``AUTH_USER_MODEL`` later.
"""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person who logs in: clinic staff or a patient."""
