"""Every form's inputs have the limits of the model fields they are stored in.

The forms are found by walking the ``renfort`` package (any module named ``forms`` or
``forms_*``, or inside a ``forms`` package), so forms that move between apps are still
checked. An input is compared with a model field when its form says where it is stored: a
``ModelForm`` through its ``Meta.model``, any other form through ``stored_in``
(``renfort.lib.forms.NamedErrorsForm``). Every form also follows three rules of its own:
text inputs have a length limit, date inputs take only the dates Renfort accepts
(``renfort.lib.dates``), and error messages name their field (``NamedErrorsForm``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from django import forms
from django.apps import apps

import renfort
from renfort.lib.dates import DateRangeValidator
from renfort.lib.forms import NamedErrorsForm


def _raise(name: str) -> None:
    raise ImportError(f"cannot import {name} while looking for forms")


def form_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(renfort.__path__, "renfort.", onerror=_raise):
        parts = info.name.split(".")
        if "tests" in parts or "migrations" in parts:
            continue
        if any(p == "forms" or p.startswith("forms_") for p in parts[1:]):
            names.append(info.name)
    return sorted(names)


def form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for name in form_modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found.append(cls)
    return found


def model_field(label: str) -> Any:
    app_label, model_name, field_name = label.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


def stored_in(form: Any) -> dict[str, Any]:
    """Input name -> the model field it is stored in."""
    meta = getattr(form, "_meta", None)
    model = getattr(meta, "model", None)
    if model is not None:
        names = {f.name for f in model._meta.get_fields()}
        return {n: model._meta.get_field(n) for n in form.base_fields if n in names}
    return {name: model_field(label) for name, label in getattr(form, "stored_in", {}).items()}


def date_bounded(field: Any) -> bool:
    return any(isinstance(v, DateRangeValidator) for v in field.validators)


def limit_problems(form: Any) -> list[str]:
    """Where the inputs of ``form`` and the model fields they are stored in disagree."""
    problems = []
    for name, target in stored_in(form).items():
        field = form.base_fields.get(name)
        if field is None:
            problems.append(f"{name}: stored in {target} but not an input of the form")
            continue
        if getattr(field, "max_length", None) != getattr(target, "max_length", None):
            problems.append(
                f"{name}: max_length {getattr(field, 'max_length', None)} on the form, "
                f"{target.max_length} on {target.model.__name__}.{target.name}"
            )
        if date_bounded(field) != date_bounded(target):
            problems.append(f"{name}: the date range differs from {target}")
    return problems


def rule_problems(form: Any) -> list[str]:
    """Where ``form`` breaks the rules every form follows."""
    problems = []
    if not issubclass(form, NamedErrorsForm):
        problems.append("not a NamedErrorsForm: its messages do not name their field")
    for name, field in form.base_fields.items():
        if isinstance(field, forms.CharField) and field.max_length is None:
            problems.append(f"{name}: a text input without max_length")
        if isinstance(field, forms.DateField) and not date_bounded(field):
            problems.append(f"{name}: a date input without the shared date range")
    return problems


FORMS = form_classes()


def test_forms_are_found() -> None:
    names = {f"{f.__module__}.{f.__qualname__}" for f in FORMS}
    assert {
        "renfort.assistance.forms.RequestForm",
        "renfort.roster.forms.UnavailabilityForm",
    } <= names


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS, ids=lambda f: f"{f.__module__}.{f.__qualname__}")
def test_form_inputs_have_the_limits_of_their_model_fields(form) -> None:
    assert not limit_problems(form) + rule_problems(form)


class Stored(NamedErrorsForm):
    stored_in = {"needs": "assistance.Request.needs", "day": "assistance.Request.preferred_start"}

    needs = forms.CharField(max_length=4001)
    day = forms.DateField()


def test_a_differing_limit_is_found() -> None:
    assert limit_problems(Stored) == [
        "needs: max_length 4001 on the form, 4000 on Request.needs",
        "day: the date range differs from assistance.Request.preferred_start",
    ]
    assert rule_problems(Stored) == ["day: a date input without the shared date range"]


def test_a_form_that_does_not_name_its_fields_is_found() -> None:
    class Plain(forms.Form):
        note = forms.CharField(widget=forms.Textarea)

    assert rule_problems(Plain) == [
        "not a NamedErrorsForm: its messages do not name their field",
        "note: a text input without max_length",
    ]
