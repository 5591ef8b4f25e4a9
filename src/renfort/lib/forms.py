"""Showing a service's refusal on the form that asked for the change."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def add_service_error(
    form: forms.BaseForm, error: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Put the messages of ``error`` (raised by a service) on ``form``.

    A message keyed by a field name (``ValidationError({"end": ...})``), or by a service
    argument that ``aliases`` maps to a form field, goes next to that field; a plain message
    goes next to the field it names by name or label, else on top of the form.
    """
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            name = aliases.get(key, key)
            form.add_error(name if name in form.fields else None, errors)
        return
    for message in error.messages:
        form.add_error(_field_named_in(form, message, aliases), message)


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
