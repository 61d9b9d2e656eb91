"""docs/deployment.md followed step by step, on the database DATABASE_URL names (SQLite by
default; PostgreSQL in CI): production settings, ``trdnav migrate``, ``trdnav createadmin``,
``trdnav serve`` behind a proxy (simulated: requests from the trusted address carry the headers
a TLS proxy adds), log-in over "https", backup and restore, and an upgrade's rollback.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site.live import Client, Server, query, run_trdnav, scratch_database

pytestmark = pytest.mark.live

PUBLIC_HOST = "trd.example.org"
PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "Host": PUBLIC_HOST}
ADMIN_PASSWORD = "correct horse battery staple 7"


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], str]]:
    """The environment of docs/deployment.md, step 1, and a new empty database."""
    workdir = tmp_path_factory.mktemp("deploy")
    secret = workdir / "secret_key"
    secret.write_text(os.urandom(24).hex())
    with scratch_database(workdir) as url:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("TRDNAV_") and key != "DJANGO_SETTINGS_MODULE"
        }
        env.update(
            {
                "TRDNAV_ENV": "production",
                "TRDNAV_SECRET_KEY_FILE": str(secret),
                "DATABASE_URL": url,
                "TRDNAV_DATA_DIR": str(workdir),
                "TRDNAV_ALLOWED_HOSTS": PUBLIC_HOST,
                "TRDNAV_CSRF_TRUSTED_ORIGINS": f"https://{PUBLIC_HOST}",
                "TRDNAV_TRUSTED_PROXIES": "127.0.0.1",
                "TRDNAV_SITE_URL": f"https://{PUBLIC_HOST}",
                "TRDNAV_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            }
        )
        yield env, url


@pytest.fixture(scope="module")
def served(production: tuple[dict[str, str], str]) -> Iterator[Server]:
    env, _ = production
    run_trdnav(env, "migrate")
    password = Path(env["TRDNAV_DATA_DIR"]) / "admin_password"
    password.write_text(ADMIN_PASSWORD)
    out = run_trdnav(
        env,
        "createadmin",
        "--username",
        "ada",
        "--email",
        "ada@example.org",
        "--clinic",
        "North Clinic",
        "--password-file",
        str(password),
    )
    assert "Created clinic administrator 'ada'" in out
    server = Server(env, workers=2, threads=2)
    server.start()
    yield server
    server.stop()


def _logged_in(server: Server) -> Client:
    client = Client(server.base, dict(PROXY))
    status, _ = client.login("ada", ADMIN_PASSWORD)
    assert status == 302, "log-in over https through the proxy"
    return client


def test_an_administrator_logs_in_over_https_behind_the_proxy_with_secure_cookies_and_hsts(
    served: Server,
) -> None:
    client = Client(served.base, dict(PROXY))
    status, _ = client.get("/accounts/login/")
    assert status == 200
    assert client.header("Strict-Transport-Security") == "max-age=31536000"
    status, _ = client.login("ada", ADMIN_PASSWORD)
    assert status == 302
    session = [line for line in client.set_cookie_lines() if line.startswith("sessionid=")]
    assert session and "Secure" in session[0] and "HttpOnly" in session[0]
    status, page = client.get("/dashboard/")
    assert status == 200 and "North Clinic" in page


def test_the_same_headers_from_an_untrusted_address_are_ignored(
    production: tuple[dict[str, str], str], served: Server
) -> None:
    """A client on another address claims HTTPS and another client address: the app sends no
    HSTS (it knows the request came over plain HTTP) and audits the real peer address."""
    _, url = production
    untrusted = Client(served.base, dict(PROXY), source="127.0.0.2")
    status, _ = untrusted.get("/accounts/login/")
    assert status == 200
    assert untrusted.header("Strict-Transport-Security") is None
    status, _ = untrusted.login("ada", ADMIN_PASSWORD)
    assert status == 302
    assert untrusted.header("Strict-Transport-Security") is None
    last_login = query(
        url,
        "SELECT ip_address FROM audit_auditevent WHERE action = %s ORDER BY id DESC LIMIT 1",
        ("login",),
    )
    assert [str(row[0]) for row in last_login] == ["127.0.0.2"]


def test_invitation_links_are_https_and_the_audit_names_the_browser_address(
    production: tuple[dict[str, str], str], served: Server
) -> None:
    _, url = production
    client = _logged_in(served)
    status, _ = client.post_form(
        "/patients/new/",
        {
            "record_number": "N-1",
            "given_name": "Test",
            "family_name": "Person",
            "date_of_birth": "1980-05-01",
            "active": "on",
        },
    )
    assert status == 302
    location = client.header("Location") or ""
    patient = re.search(r"/patients/(\d+)/", location)
    assert patient, location
    panel = f"/portal/care/patients/{patient.group(1)}/"
    status, _ = client.post_form(f"{panel}invite/", {"email": "p@example.org"}, page=panel)
    assert status == 302
    assert (client.header("Location") or "").startswith("/")  # relative, so the proxy's scheme
    _, page = client.get(client.header("Location") or "/")
    assert f"https://{PUBLIC_HOST}/portal/invitation/" in page
    assert f"http://{PUBLIC_HOST}/portal/invitation/" not in page
    rows = query(url, "SELECT ip_address FROM audit_auditevent WHERE action = %s", ("login",))
    addresses = {str(row[0]) for row in rows}
    assert "203.0.113.7" in addresses  # the browser's address, from the trusted proxy
    assert "127.0.0.1" not in addresses  # never the proxy's own


def test_the_same_server_refuses_to_start_with_debug_or_without_https(
    production: tuple[dict[str, str], str],
) -> None:
    env, _ = production
    for change in ({"TRDNAV_DEBUG": "true"}, {"TRDNAV_HTTPS": "false"}):
        with pytest.raises(RuntimeError, match=next(iter(change))):
            run_trdnav({**env, **change}, "migrate", "--plan")


def test_a_backup_restores_the_database_as_it_was_and_a_migration_rolls_back(
    production: tuple[dict[str, str], str], served: Server, tmp_path: Path
) -> None:
    env, url = production
    client = _logged_in(served)
    backup = tmp_path / "before.backup"
    run_trdnav(env, "backup", str(backup))
    assert backup.stat().st_size > 0
    users_before = query(url, "SELECT COUNT(*) FROM accounts_user")[0][0]
    status, _ = client.post_form(
        "/patients/new/",
        {
            "record_number": "AFTER-BACKUP",
            "given_name": "Later",
            "family_name": "Person",
            "date_of_birth": "1970-01-01",
            "active": "on",
        },
    )
    assert status == 302
    assert (
        query(
            url, "SELECT COUNT(*) FROM patients_patient WHERE record_number = %s", ("AFTER-BACKUP",)
        )[0][0]
        == 1
    )
    served.stop()
    try:
        with pytest.raises(RuntimeError, match="--yes"):
            run_trdnav(env, "restore", str(backup))
        run_trdnav(env, "restore", str(backup), "--yes")
        assert (
            query(
                url,
                "SELECT COUNT(*) FROM patients_patient WHERE record_number = %s",
                ("AFTER-BACKUP",),
            )[0][0]
            == 0
        )
        assert query(url, "SELECT COUNT(*) FROM accounts_user")[0][0] == users_before
        # The audit trail and its guard came back with the data: a delete is still refused.
        assert query(url, "SELECT COUNT(*) FROM audit_auditevent")[0][0] > 0
        # Upgrade rollback (docs/deployment.md): move one app back a migration, then forward.
        plan = run_trdnav(env, "migrate", "--plan")
        assert "No planned migration operations" in plan
        migrations = sorted(
            p.stem
            for p in (Path(__file__).parents[2] / "src/trdnav/clinical/migrations").glob("0*.py")
        )
        assert len(migrations) >= 2
        run_trdnav(env, "migrate", "clinical", migrations[-2])
        assert f"clinical.{migrations[-1]}" in run_trdnav(env, "migrate", "--plan")
        run_trdnav(env, "migrate")
        assert "No planned migration operations" in run_trdnav(env, "migrate", "--plan")
        served.start()
        status, _ = Client(served.base, dict(PROXY)).login("ada", ADMIN_PASSWORD)
        assert status == 302, "the restored database serves log-ins"
    finally:
        served.stop()
        served.start()


@pytest.mark.postgresql_only
def test_pg_tools_are_present_when_the_database_is_postgresql() -> None:
    for tool in ("pg_dump", "pg_restore"):
        assert subprocess.run([tool, "--version"], capture_output=True, check=False).returncode == 0
