"""The shared knowledge-base readers name the file and key path of every schema error."""

from __future__ import annotations

import pytest

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge import Status, fields
from trdnav.core.knowledge.therapies.schema import Onset

WHERE = "demo.toml [part]"


def test_it_names_the_file_and_key_of_a_blank_text() -> None:
    with pytest.raises(KnowledgeBaseError, match=r"^demo\.toml \[part\]: label must be non-empty"):
        fields.text({"label": "  "}, "label", WHERE)


def test_it_refuses_true_where_an_integer_or_number_is_required() -> None:
    with pytest.raises(KnowledgeBaseError, match="min must be an integer"):
        fields.integer({"min": True}, "min", WHERE)
    with pytest.raises(KnowledgeBaseError, match="pct must be a number"):
        fields.number({"pct": True}, "pct", WHERE)


def test_it_reads_an_integer_number_as_a_float() -> None:
    value = fields.number({"pct": 50}, "pct", WHERE)
    assert value == 50.0
    assert isinstance(value, float)


def test_a_flag_is_required_unless_the_caller_gives_a_default() -> None:
    assert fields.flag({}, "default", WHERE, default=False) is False
    with pytest.raises(KnowledgeBaseError, match="default must be true or false"):
        fields.flag({}, "default", WHERE)


def test_a_missing_list_is_empty_unless_required() -> None:
    assert fields.texts({}, "notes", WHERE) == ()
    assert fields.tables({}, "bands", WHERE) == []
    with pytest.raises(KnowledgeBaseError, match="policies is required"):
        fields.texts({}, "policies", WHERE, required=True)


def test_it_lists_the_allowed_values_of_a_choice() -> None:
    assert fields.choice({"onset": "days"}, "onset", WHERE, Onset) is Onset.DAYS
    with pytest.raises(KnowledgeBaseError, match="onset has unknown value 'soon'; allowed: "):
        fields.choice({"onset": "soon"}, "onset", WHERE, Onset)


def test_a_status_falls_back_to_the_files_status_only_when_absent() -> None:
    assert fields.status({}, WHERE, Status.UNVERIFIED) is Status.UNVERIFIED
    with pytest.raises(KnowledgeBaseError, match="status must be verified or unverified"):
        fields.status({"status": "maybe"}, WHERE, Status.VERIFIED)
