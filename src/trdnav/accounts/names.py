"""Usernames chosen by people (portal invitations) and passwords that are just a name.

Usernames (docs/access-control.md, "Usernames"):

- normalised with Unicode NFKC, trimmed, and **lower-cased**: log-in compares usernames without
  regard to case, so storing one form keeps "Ann" and "ann" from becoming two accounts;
- 3–150 characters of letters, digits and ``@ . + - _`` (Django's own username rule): no
  spaces, no control or formatting characters (bidirectional overrides, zero-width joiners);
- letters from **one script only**: a name that mixes Latin with Cyrillic, Greek or any other
  script (``demo-cliniciаn`` with a Cyrillic "а") is refused, since it can pass for another.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError

USERNAME_CHARACTERS = re.compile(r"^[\w.@+-]+\Z")
MIN_LENGTH, MAX_LENGTH = 3, 150


def _script(character: str) -> str | None:
    """The script of a letter ("LATIN", "CYRILLIC", "GREEK", …); None for anything else."""
    if not unicodedata.category(character).startswith("L"):
        return None
    name = unicodedata.name(character, "")
    return name.split(" ")[0] if name else "UNKNOWN"


def normalise_username(raw: str) -> str:
    """The stored form of a chosen username, or ValidationError saying what is wrong."""
    if any(unicodedata.category(c).startswith("C") for c in raw):
        raise ValidationError("a username cannot contain control or invisible characters")
    username = unicodedata.normalize("NFKC", raw).strip().lower()
    if not MIN_LENGTH <= len(username) <= MAX_LENGTH:
        raise ValidationError(f"a username has {MIN_LENGTH} to {MAX_LENGTH} characters")
    if not USERNAME_CHARACTERS.match(username):
        raise ValidationError("use only letters, digits and @ . + - _ (no spaces)")
    scripts = {s for s in map(_script, username) if s is not None}
    if len(scripts) > 1:
        raise ValidationError(
            "use letters from one alphabet only: this username mixes "
            + " and ".join(sorted(s.title() for s in scripts))
        )
    return username


def _letters(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalpha())


class PersonNameValidator:
    """Refuses a password that is only the person's own name, in any case, order or spacing,
    with or without digits and punctuation ("Bruno Other 1"). Names come from the login
    (first name, last name, username) and, for a patient, from their record."""

    MIN_NAME = 2

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        letters = _letters(password)
        if not letters:
            return
        names = [_letters(n) for n in _names_of(user)]
        names = [n for n in names if len(n) >= self.MIN_NAME]
        forms = set(names)
        forms |= {a + b for a in names for b in names if a != b}
        if letters in forms:
            raise ValidationError("The password cannot be your own name.", code="password_is_name")

    def get_help_text(self) -> str:
        return "Your password cannot be your own name."


def _names_of(user: Any) -> list[str]:
    names = [
        getattr(user, "first_name", "") or "",
        getattr(user, "last_name", "") or "",
        getattr(user, "username", "") or "",
    ]
    names += list(getattr(user, "person_names", ()))  # set by callers before the record links
    if getattr(user, "pk", None) is not None:
        from trdnav.patients.models import Patient

        record = Patient.objects.filter(user_id=user.pk).values("given_name", "family_name")
        for row in record:
            names += [row["given_name"], row["family_name"]]
    return names
