"""Form errors say which field they are about."""

from __future__ import annotations

from typing import Any

from django import forms

from renfort.lib.dates import validate_date_in_range
from renfort.lib.forms import NamedErrorsForm


class Example(NamedErrorsForm):
    title = forms.CharField(label="Title", max_length=5)
    decision = forms.ChoiceField(
        label="Release",
        choices=[("grant", "Grant")],
        error_messages={"required": "Choose grant or refuse."},
    )
    day = forms.DateField(validators=[validate_date_in_range])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["added_later"] = forms.IntegerField(label="Added", max_value=3)


def test_each_message_starts_with_the_label() -> None:
    form = Example({"title": "toolong", "day": "0001-01-01", "added_later": "4"})
    assert form.errors == {
        "title": ["Title: at most 5 characters (it has 7)."],
        "decision": ["Release: choose grant or refuse."],
        "day": ["Day: 0001-01-01 is outside the dates Renfort accepts (2000-01-01 to 2100-12-31)."],
        "added_later": ["Added: ensure this value is less than or equal to 3."],
    }


def test_required_and_invalid_name_the_field() -> None:
    form = Example({"decision": "maybe", "day": "soon", "added_later": "1"})
    assert form.errors["title"] == ["Title: this field is required."]
    assert form.errors["day"] == ["Day: enter a valid date."]
    assert form.errors["decision"] == [
        "Release: select a valid choice. maybe is not one of the available choices."
    ]


def test_cleaning_twice_names_once() -> None:
    form = Example({})
    form.full_clean()
    form.full_clean()
    assert form.errors["title"] == ["Title: this field is required."]
