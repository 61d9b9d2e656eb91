"""API tokens: issued once in plain text, stored as a digest, revocable, owner's permissions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from trdnav.accounts.models import ApiToken, User
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, record_event

TOKEN_PREFIX = "trd_"  # noqa: S105  (a marker, not a secret)
PREFIX_LENGTH = 10
# Writing last_used_at on every request would make each API read a write; a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_token(*, user: User, name: str, by: Actor) -> tuple[ApiToken, str]:
    """Create a token for ``user``; the plain value is returned here and never again."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=raw[:PREFIX_LENGTH], digest=digest_of(raw)
    )
    record_event(by=by, action=Action.TOKEN_ISSUED, object_type="api_token", object_id=token.pk)
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken, by: Actor) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            by=by, action=Action.TOKEN_REVOKED, object_type="api_token", object_id=token.pk
        )


def user_for_token(raw: str) -> User | None:
    """The active owner of an unrevoked token, or None; notes when the token was last used."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__membership__clinic")
        .filter(digest=digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    membership = getattr(token.user, "membership", None)
    if membership is not None and membership.role == "patient":
        return None  # patients use the portal; a token issued before that rule no longer works
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
