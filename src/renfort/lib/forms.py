"""Forms whose errors name their field, and showing a service's refusal on the form that
asked for the change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils.translation import gettext, gettext_lazy

# Django's own length messages choose a plural form lazily: ours replace them.
_LENGTH_MESSAGES = {
    "max_length": gettext_lazy("at most %(limit_value)d characters (it has %(show_value)d)."),
    "min_length": gettext_lazy("at least %(limit_value)d characters (it has %(show_value)d)."),
}


class NamedErrorsForm(forms.Form):
    """A form whose field errors name their field: "Release: choose grant or refuse.".

    A message read away from its field (a flash message, an htmx row, a screen reader's list
    of errors) still says which field it is about. Each message of a field (its
    ``error_messages`` and its validators') gets the field's label in front when the form
    is cleaned, so fields added in ``__init__`` are named too.
    """

    # The model field ("app_label.Model.field") each input is stored in, for the inputs that
    # are: ``lib/tests/test_form_limits.py`` checks that the input has the field's limits.
    stored_in: ClassVar[Mapping[str, str]] = {}

    def full_clean(self) -> None:
        named = self.__dict__.setdefault("_named_fields", set())
        for name, field in self.fields.items():
            if name not in named:
                _name_messages(field, str(field.label or pretty_name(name)))
                named.add(name)
        super().full_clean()


def _name_messages(field: forms.Field, label: str) -> None:
    messages = dict(field.error_messages)
    for validator in field.validators:
        code, message = getattr(validator, "code", None), getattr(validator, "message", None)
        if code and message:
            messages.setdefault(code, message)
    for code, message in messages.items():
        text = str(_LENGTH_MESSAGES.get(code, message))
        if not text:  # a plural chosen lazily by its parameters: leave it as it is
            continue
        if text[:1].isupper() and not text[1:2].isupper():
            text = text[0].lower() + text[1:]
        field.error_messages[code] = gettext("{label}: {message}").format(label=label, message=text)


def add_service_error(
    form: forms.BaseForm,
    error: ValidationError,
    aliases: Mapping[str, str] | None = None,
    *,
    default: str | None = None,
) -> None:
    """Put the messages of ``error`` (raised by a service) on ``form``: the one helper every
    view uses to show a refusal.

    A message keyed by a field name (``ValidationError({"end": ...})``), or by a service
    argument that ``aliases`` maps to a form field, goes next to that field. A plain message
    (or one keyed by something the form does not show) goes next to ``default`` when given
    (the field the user chose, e.g. the expert of an assign form), else next to the field it
    names by name or label, else on top of the form.
    """
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            name = aliases.get(key, key)
            form.add_error(name if name in form.fields else default, errors)
        return
    for message in error.messages:
        target = default if default is not None else _field_named_in(form, message, aliases)
        form.add_error(target, message)


def _field_named_in(form: forms.BaseForm, message: str, aliases: Mapping[str, str]) -> str | None:
    text = message.lower()
    for key, name in aliases.items():
        if name in form.fields and key.lower() in text:
            return name
    for name, field in form.fields.items():
        label = str(field.label or "").lower()
        if name.lower() in text or name.replace("_", " ").lower() in text:
            return name
        if label and label in text:
            return name
    return None
