"""The shared form rendering (web/form_fields.html): help text and errors carry the ids the
field's aria-describedby names, a group of checkboxes or radios is a fieldset with a legend,
and a hidden field gets no label."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string


class Example(forms.Form):
    name = forms.CharField(help_text="As the patient says it.")
    kinds = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple,
        help_text="Tick all that apply.", required=False,
    )  # fmt: skip
    when = forms.ChoiceField(choices=[("now", "Now"), ("later", "Later")], widget=forms.RadioSelect)
    revision = forms.CharField(widget=forms.HiddenInput, required=False)


def _html(form: forms.Form) -> str:
    return render_to_string("web/form_fields.html", {"form": form})


def _ids(html: str) -> set[str]:
    return set(re.findall(r' id="([^"]+)"', html))


def _described_by(html: str) -> set[str]:
    return {i for value in re.findall(r'aria-describedby="([^"]+)"', html) for i in value.split()}


def test_every_id_a_field_is_described_by_exists_with_and_without_errors() -> None:
    for form in (Example(), Example(data={"kinds": ["x"]})):
        html = _html(form)
        assert _described_by(html), "the fields name their help text"
        assert _described_by(html) <= _ids(html)
    html = _html(Example(data={}))
    assert 'id="id_name_error"' in html
    assert 'aria-invalid="true"' in html


def test_choice_groups_are_fieldsets_with_a_legend() -> None:
    html = _html(Example())
    groups = re.findall(r"<fieldset[^>]*>\s*<legend>([^<]*)", html)
    assert [g.strip() for g in groups] == ["Kinds", "When"]
    assert '<label for="id_kinds"' not in html  # no label wrapping the whole group


def test_a_hidden_field_is_rendered_without_a_label() -> None:
    html = _html(Example(initial={"revision": "r1"}))
    assert 'type="hidden" name="revision"' in html
    assert 'for="id_revision"' not in html
    assert "Revision" not in html
