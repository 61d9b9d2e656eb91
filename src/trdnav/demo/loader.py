"""Builds the demo clinic. Running it twice changes nothing (it is idempotent)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from trdnav.accounts.models import User

# Published demo passwords: the demo posture only ever serves on 127.0.0.1.
DEMO_ADMIN = ("admin", "demo-admin-pass")


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


@transaction.atomic
def load_demo_data(progress: Callable[[str], object] = print) -> list[DemoLogin]:
    """Create the demo accounts (and, as features land, the demo clinic and patients)."""
    username, password = DEMO_ADMIN
    if not User.objects.filter(username=username).exists():
        User.objects.create_superuser(username=username, password=password, email="")
    progress("Demo data ready.")
    return [DemoLogin("site admin", username, password)]
