"""The fast select renderer writes byte for byte what Django's templates write."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from renfort.lib.form_renderer import FastRenderer

CHOICES = [
    ("", "—"),
    ("a", "Alpha & <Omega>"),
    (3, 'Quote "three"'),
    ("Group", [("g1", "One"), ("g2", mark_safe("<b>Two</b>"))]),
]


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(
        choices=CHOICES[1:],
        widget=forms.SelectMultiple(attrs={"data-x": "1 < 2", "disabled": True, "hidden": False}),
    )
    required = forms.TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int)
    empty = forms.ChoiceField(choices=[])


def _html(renderer: object, data: dict[str, object] | None) -> list[str]:
    form = Sample(data=data, renderer=renderer)  # type: ignore[arg-type]
    return [str(form[name]) for name in ("one", "many", "required", "empty")]


def test_same_html_as_django() -> None:
    cases: list[dict[str, object] | None] = [
        None,
        {"one": "a", "many": ["g2", "3"], "required": "2"},
        {"one": "<x>"},
    ]
    for data in cases:
        assert _html(FastRenderer(), data) == _html(DjangoTemplates(), data)


def test_a_select_is_written_without_templates() -> None:
    html = _html(FastRenderer(), {"one": "a"})[0]
    assert '<option value="a" selected>Alpha &amp; &lt;Omega&gt;</option>' in html
