"""Every ``trdnav`` command that reads a JSON document exits 2 with a JSON error for input it
cannot use, never a traceback or a hang: bad UTF-8, not JSON, nesting a thousand deep, an
integer of 5,000 digits, NaN, a string with NUL, a missing file, a directory, an endless file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trdnav.cli import app

runner = CliRunner()

COMMANDS = [
    ["score", "phq9"],
    ["score", "cgi_s"],
    ["score", "cssrs_screen"],
    ["stage"],
    ["stage", "--model", "maudsley"],
    ["options"],
    ["adequacy"],
    ["session-check", "esketamine_induction"],
    ["course-outcome"],
]
BAD_DOCUMENTS: dict[str, bytes] = {
    "bad-utf8": b'{"items": "\xff\xfe"}',
    "empty": b"",
    "not-json": b"{items: [1, 2",
    "nested-1000": b'{"items": ' + b"[" * 1000 + b"]" * 1000 + b"}",
    "integer-5000-digits": b'{"items": [' + b"9" * 5000 + b"]}",
    "nan": b'{"items": [NaN]}',
    "infinity": b'{"age": 1e999}',
    "nul-in-a-string": b'{"episodes": [{"id": "a\\u0000b"}]}',
    "lone-surrogate": b'{"drug": "\\ud800"}',
    "wrong-type-list": b"[1, 2, 3]",
    "wrong-type-string": b'"text"',
    "wrong-type-null": b"null",
}


def _errors(output: str) -> list[dict[str, str]]:
    document = json.loads(output)
    assert isinstance(document["errors"], list) and document["errors"]
    return list(document["errors"])


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_unusable_input_on_standard_input_exits_2_with_a_json_error(
    command: list[str], name: str
) -> None:
    result = runner.invoke(app, command, input=BAD_DOCUMENTS[name])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert _errors(result.stdout)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_missing_file_or_a_directory_exits_2_with_a_json_error(
    command: list[str], tmp_path: Path
) -> None:
    for target in (tmp_path / "missing.json", tmp_path):
        result = runner.invoke(app, [*command, "--input", str(target)])
        assert result.exit_code == 2, result.output
        assert _errors(result.stdout)[0]["field"] == "input"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_endless_input_ends_with_exit_2_instead_of_reading_forever(
    command: list[str],
) -> None:
    result = runner.invoke(app, [*command, "--input", "/dev/zero"])
    assert result.exit_code == 2
    assert "larger than" in _errors(result.stdout)[0]["message"]
