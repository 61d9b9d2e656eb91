"""Typed readers for environment variables that fail loudly.

Every variable read here is documented in docs/configuration.md. Secrets may be given as
``NAME_FILE`` (a path whose contents are the value), the usual way container platforms pass them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

ENVIRONMENTS = ("production", "demo", "development", "test")
# A deliberately public key for demo and tests; production refuses it.
UNSAFE_SECRET = "insecure-development-key-do-not-use-in-production"  # noqa: S105


def env_str(name: str, default: str = "") -> str:
    """The variable's value, or the contents of the file named by ``NAME_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def environment() -> str:
    value = os.environ.get("TRDNAV_ENV", "production")
    if value not in ENVIRONMENTS:
        raise ImproperlyConfigured(
            f"TRDNAV_ENV={value!r} is not allowed; use one of {', '.join(ENVIRONMENTS)}"
        )
    return value


def secret_key(env: str) -> str:
    """The signing key; production refuses to start without a real one."""
    key = env_str("TRDNAV_SECRET_KEY")
    if key:
        if env == "production" and (len(key) < 32 or key == UNSAFE_SECRET):
            raise ImproperlyConfigured("TRDNAV_SECRET_KEY must be at least 32 random characters")
        return key
    if env == "production":
        raise ImproperlyConfigured(
            "TRDNAV_SECRET_KEY (or TRDNAV_SECRET_KEY_FILE) is required when TRDNAV_ENV=production"
        )
    return UNSAFE_SECRET


@dataclass(frozen=True)
class Database:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    def as_django(self) -> dict[str, object]:
        config: dict[str, object] = {
            "ENGINE": self.engine,
            "NAME": self.name,
            "USER": self.user,
            "PASSWORD": self.password,
            "HOST": self.host,
            "PORT": self.port,
            "ATOMIC_REQUESTS": True,
        }
        if self.engine.endswith("sqlite3"):
            config["OPTIONS"] = {"timeout": 20}
        return config


def parse_database_url(url: str) -> Database:
    """``sqlite:///relative.db``, ``sqlite:////absolute.db`` or ``postgresql://u:p@h:port/db``."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        name = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not name:
            raise ImproperlyConfigured("DATABASE_URL=sqlite:/// needs a file name")
        return Database(engine="django.db.backends.sqlite3", name=name)
    if parts.scheme in ("postgres", "postgresql"):
        name = parts.path.lstrip("/")
        if not name:
            raise ImproperlyConfigured("DATABASE_URL for PostgreSQL needs a database name")
        return Database(
            engine="django.db.backends.postgresql",
            name=unquote(name),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=parts.hostname or "",
            port=str(parts.port or ""),
        )
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported; use sqlite or postgresql"
    )
