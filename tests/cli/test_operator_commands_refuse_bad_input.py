"""The operator's commands (migrate, createadmin, backup, restore, audit, prune-logins) refuse
input they cannot use like every other ``trdnav`` command: exit 2 with a JSON error on standard
output, never a traceback. Run as the installed command on a fresh, never-migrated SQLite file,
so a missing table is one of the cases."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.site.live import TRDNAV

BAD_UTF8 = b"\xff\xfe not text"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRDNAV_", "DJANGO_"))}
    env.update(
        {
            "TRDNAV_ENV": "development",
            "TRDNAV_DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}",
        }
    )
    return env


ADMIN = ["createadmin", "--username", "ada", "--email", "ada@example.org", "--clinic", "North"]
PW = "--password-file"
CASES: dict[str, tuple[list[str], str]] = {
    "createadmin, password file not UTF-8": ([*ADMIN, PW, "{bad}"], "password_file"),
    "createadmin, password file empty": ([*ADMIN, PW, "{empty}"], "password_file"),
    "createadmin, password file missing": ([*ADMIN, PW, "{missing}"], "password_file"),
    "createadmin, password file a folder": ([*ADMIN, PW, "{dir}"], "password_file"),
    "createadmin, no password at all": (ADMIN, "password_file"),
    "createadmin, username with a control character": (
        [
            "createadmin",
            "--username",
            "ad\u202ea",
            "--email",
            "a@example.org",
            "--clinic",
            "N",
            PW,
            "{good}",
        ],
        "username",
    ),
    "createadmin, clinic name with a control character": (
        [
            "createadmin",
            "--username",
            "ada",
            "--email",
            "a@example.org",
            "--clinic",
            "N\u0007",
            PW,
            "{good}",
        ],
        "clinic",
    ),
    "createadmin, database never migrated": ([*ADMIN, PW, "{good}"], "database"),
    "restore, file missing": (["restore", "{missing}", "--yes"], "file"),
    "restore, file not a database": (["restore", "{bad}", "--yes"], "file"),
    "restore, empty file": (["restore", "{empty}", "--yes"], "file"),
    "restore, without --yes": (["restore", "{bad}"], "yes"),
    "backup, folder missing": (["backup", "{missing}/x.backup"], "file"),
    "backup, file exists": (["backup", "{bad}"], "file"),
    "audit verify, database never migrated": (["audit", "verify"], "database"),
    "audit grants, role not a name": (["audit", "grants", "x; DROP TABLE y"], "role"),
    "prune-logins, database never migrated": (["prune-logins"], "database"),
    "migrate, unknown app": (["migrate", "no_such_app"], "migrate"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_operator_command_given_unusable_input_exits_2_with_a_json_error(
    case: str, tmp_path: Path
) -> None:
    args, field = CASES[case]
    files = {
        "bad": tmp_path / "bad",
        "empty": tmp_path / "empty",
        "good": tmp_path / "good",
        "missing": tmp_path / "missing",
        "dir": tmp_path,
    }
    files["bad"].write_bytes(BAD_UTF8)
    files["empty"].write_bytes(b"")
    files["good"].write_text("a sound passphrase 42")
    argv = [arg.format(**{k: str(v) for k, v in files.items()}) for arg in args]
    result = subprocess.run(
        [TRDNAV, *argv],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = json.loads(result.stdout)["errors"]
    assert [error["field"] for error in errors][:1] == [field], errors
    assert all(error["message"] for error in errors)
