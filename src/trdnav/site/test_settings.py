"""Settings for the test suite: the ``test`` posture, then the ordinary settings."""

import os

os.environ.setdefault("TRDNAV_ENV", "test")

from trdnav.site.settings import *  # noqa: F403

# Fast hashing keeps tests quick; production keeps Argon2 (see settings.PASSWORD_HASHERS).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
