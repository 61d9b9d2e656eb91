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

from trdnav.databases import REPLICA

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
        # A random key of 32 characters has far more than 10 different ones; "aaaa…" or
        # "abababab…" has the length and none of the randomness.
        weak = len(key) < 32 or len(set(key)) < 10 or key == UNSAFE_SECRET
        if env == "production" and weak:
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
            config["OPTIONS"] = dict(SQLITE_OPTIONS)
        return config


# SQLite serving several people at once (docs/deployment.md, "SQLite or PostgreSQL"):
# - WAL lets readers run while one writer commits, and survives a killed process;
# - synchronous=FULL keeps an acknowledged write through a power cut as well (NORMAL could
#   lose the last commits), at a small cost per write;
# - IMMEDIATE takes the write lock when a transaction begins. Every request runs in one
#   transaction (ATOMIC_REQUESTS) and most write an audit row, so a deferred transaction
#   would read first and then fail at once with "database is locked" when it tries to write
#   while another request writes; IMMEDIATE makes it wait for its turn instead;
# - timeout is how long (seconds) a transaction waits for that turn before giving up.
SQLITE_BUSY_TIMEOUT_SECONDS = 60
SQLITE_OPTIONS: dict[str, object] = {
    "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL",
}


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


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    use_tls: bool
    use_ssl: bool
    user: str
    password: str
    timeout: int


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def smtp_settings(*, production: bool) -> Smtp:
    """The SMTP relay (``TRDNAV_EMAIL_*``), refusing combinations that cannot work or leak.

    ``TRDNAV_EMAIL_TLS`` is STARTTLS (usually port 587), ``TRDNAV_EMAIL_SSL`` implicit TLS
    (usually 465). In production a password is never sent to another host without one of them.
    """
    use_tls = env_bool("TRDNAV_EMAIL_TLS", default=False)
    use_ssl = env_bool("TRDNAV_EMAIL_SSL", default=False)
    if use_tls and use_ssl:
        raise ImproperlyConfigured("TRDNAV_EMAIL_TLS and TRDNAV_EMAIL_SSL exclude each other")
    host = env_str("TRDNAV_EMAIL_HOST", "localhost").strip()
    if not host or any(c.isspace() or c in "/@" for c in host):
        raise ImproperlyConfigured(f"TRDNAV_EMAIL_HOST={host!r} is not a host name")
    port = env_int("TRDNAV_EMAIL_PORT", 465 if use_ssl else 587 if use_tls else 25, minimum=1)
    if port > 65535:
        raise ImproperlyConfigured(f"TRDNAV_EMAIL_PORT={port} is not a port number")
    user = env_str("TRDNAV_EMAIL_USER")
    password = env_str("TRDNAV_EMAIL_PASSWORD")
    if password and not user:
        raise ImproperlyConfigured("TRDNAV_EMAIL_PASSWORD is set but TRDNAV_EMAIL_USER is not")
    if production and password and not (use_tls or use_ssl) and host not in LOCAL_HOSTS:
        raise ImproperlyConfigured(
            "TRDNAV_EMAIL_PASSWORD would travel unencrypted: set TRDNAV_EMAIL_TLS=true "
            "(STARTTLS) or TRDNAV_EMAIL_SSL=true"
        )
    timeout = env_int("TRDNAV_EMAIL_TIMEOUT", 20, minimum=1)
    return Smtp(host, port, use_tls, use_ssl, user, password, timeout)


def site_url_is_plain_http(url: str) -> bool:
    """True for an ``http://`` address of anything but this machine (loopback is for testing)."""
    parts = urlsplit(url)
    return parts.scheme != "https" and (parts.hostname or "") not in LOCAL_HOSTS


def replica_databases(url: str) -> dict[str, dict[str, object]]:
    """``{"replica": …}`` for ``DATABASE_READ_URL``, or nothing when it is unset.

    Tests mirror it onto the default database (the same connection's data), so a test run with
    a replica configured needs no second test database."""
    if not url.strip():
        return {}
    config = parse_database_url(url.strip()).as_django()
    # Reads only: no transaction per request on the replica (it could not write anyway).
    config["ATOMIC_REQUESTS"] = False
    config["TEST"] = {"MIRROR": "default"}
    return {REPLICA: config}


def reminders_hour(raw: str) -> int | None:
    """``TRDNAV_REMINDERS_HOUR``: 0–23, or ``off``."""
    value = raw.strip().lower()
    if value in ("off", "none", ""):
        return None
    if not value.isdigit() or int(value) > 23:
        raise ImproperlyConfigured(
            f"TRDNAV_REMINDERS_HOUR={raw!r} is not allowed; use an hour 0-23, or off"
        )
    return int(value)
