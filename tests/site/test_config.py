from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from trdnav.site import config


def test_production_refuses_to_start_without_a_secret_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TRDNAV_SECRET_KEY", raising=False)
    monkeypatch.delenv("TRDNAV_SECRET_KEY_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="TRDNAV_SECRET_KEY"):
        config.secret_key("production")


def test_production_refuses_a_short_or_placeholder_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRDNAV_SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="at least 32"):
        config.secret_key("production")
    monkeypatch.setenv("TRDNAV_SECRET_KEY", config.UNSAFE_SECRET)
    with pytest.raises(ImproperlyConfigured):
        config.secret_key("production")


@pytest.mark.parametrize("key", ["a" * 32, "ab" * 40, "abcdefghi" * 4])
def test_production_refuses_a_long_key_with_too_few_different_characters(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    """The probe started production with 32 "a"s (security review D4)."""
    monkeypatch.setenv("TRDNAV_SECRET_KEY", key)
    with pytest.raises(ImproperlyConfigured, match="random"):
        config.secret_key("production")


def test_production_accepts_a_random_hex_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import secrets

    key = secrets.token_hex(16)
    monkeypatch.setenv("TRDNAV_SECRET_KEY", key)
    assert config.secret_key("production") == key


def test_demo_uses_the_builtin_key_when_none_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRDNAV_SECRET_KEY", raising=False)
    assert config.secret_key("demo") == config.UNSAFE_SECRET


def test_secrets_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("k0-j1_h2.g3~f4" * 3 + "\n")
    monkeypatch.setenv("TRDNAV_SECRET_KEY_FILE", str(secret))
    assert config.secret_key("production") == "k0-j1_h2.g3~f4" * 3


def test_an_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRDNAV_ENV", "staging")
    with pytest.raises(ImproperlyConfigured, match="production, demo, development, test"):
        config.environment()


@pytest.mark.parametrize("raw", ["maybe", "2"])
def test_a_boolean_variable_must_be_a_boolean(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("TRDNAV_DEBUG", raw)
    with pytest.raises(ImproperlyConfigured, match="TRDNAV_DEBUG"):
        config.env_bool("TRDNAV_DEBUG", default=False)


def test_database_urls_parse_for_sqlite_and_postgresql() -> None:
    sqlite = config.parse_database_url("sqlite:///var/trdnav.sqlite3")
    assert (sqlite.engine, sqlite.name) == ("django.db.backends.sqlite3", "var/trdnav.sqlite3")
    absolute = config.parse_database_url("sqlite:////srv/trdnav.db")
    assert absolute.name == "/srv/trdnav.db"
    pg = config.parse_database_url("postgresql://app:p%40ss@db.internal:6543/trdnav")
    assert pg == config.Database(
        engine="django.db.backends.postgresql",
        name="trdnav",
        user="app",
        password="p@ss",
        host="db.internal",
        port="6543",
    )


def test_an_unsupported_database_scheme_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="sqlite or postgresql"):
        config.parse_database_url("mysql://root@localhost/trdnav")
