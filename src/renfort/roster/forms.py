"""Forms of the expert pool: an expert's own profile and availability, answers to invitations
and release decisions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renfort.lib.dates import validate_date_in_range
from renfort.lib.forms import NamedErrorsForm
from renfort.lib.languages import language_choices
from renfort.lib.limits import SHORT_TEXT
from renfort.roster.models import Category, Topic

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# An expert's working languages are chosen from names, one select each (no Ctrl-click list,
# no ISO codes to type): the first is required, the others optional.
LANGUAGE_FIELDS = 4


class ProfileForm(NamedErrorsForm):
    """An expert's working languages (by name) and e-mail. ``languages`` gives the number of
    language selects: one more than she has, at least ``LANGUAGE_FIELDS``."""

    stored_in = {"email": "roster.Expert.email"}

    email = forms.EmailField(label=_("Email"), required=False, max_length=254)

    def __init__(
        self,
        data: Any = None,
        *,
        languages: Sequence[str] = (),
        initial: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        initial = dict(initial or {})
        for i, code in enumerate(languages):
            initial.setdefault(f"language_{i + 1}", code)
        super().__init__(data, initial=initial, **kwargs)
        choices = [("", _("No other language")), *language_choices()]
        count = max(LANGUAGE_FIELDS, len(languages) + 1)
        email = self.fields.pop("email")
        for i in range(1, count + 1):
            first = i == 1
            self.fields[f"language_{i}"] = forms.ChoiceField(
                label=_("Main working language") if first else _("Other working language"),
                choices=[("", _("Choose a language")), *choices[1:]] if first else choices,
                required=first,
                error_messages={
                    "required": _("choose the language you work in best."),
                    "invalid_choice": _("choose a language from the list."),
                },
            )
        self.fields["email"] = email

    def language_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("language_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        codes: list[str] = []
        for name in self.fields:
            code = data.get(name) if name.startswith("language_") else None
            if code and code not in codes:
                codes.append(code)
        data["languages"] = codes
        return data


class UnavailabilityForm(NamedErrorsForm):
    stored_in = {name: f"roster.Unavailability.{name}" for name in ("start", "end", "reason")}

    start = forms.DateField(
        label=_("First day"), widget=DATE_WIDGET, validators=[validate_date_in_range]
    )
    end = forms.DateField(
        label=_("Last day"), widget=DATE_WIDGET, validators=[validate_date_in_range]
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day must be on or after the first day."))
        return data


class InvitationAnswerForm(NamedErrorsForm):
    ACCEPT = "accept"
    DECLINE = "decline"

    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))],
        error_messages={"invalid_choice": _("Answer “accept” or “decline”.")},
    )
    # Kept as the assignment's decline_reason (roster cannot import missions: named here).
    stored_in = {"reason": "missions.Assignment.decline_reason"}

    reason = forms.CharField(
        label=_("Reason (required to decline)"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A reason refused by its own field (too long) is not a missing one.
        if data.get("answer") == self.DECLINE and not data.get("reason", "x").strip():
            self.add_error("reason", _("Give a reason to decline the invitation."))
        return data


class ReleaseDecisionForm(NamedErrorsForm):
    GRANT = "grant"
    REFUSE = "refuse"

    decision = forms.ChoiceField(
        label=_("Release"),
        choices=[(GRANT, _("Grant")), (REFUSE, _("Refuse"))],
        error_messages={
            "required": _("Choose grant or refuse."),
            "invalid_choice": _("Decide “grant” or “refuse”."),
        },
    )


class ExpertFilterForm(NamedErrorsForm):
    q = forms.CharField(label=_("Name"), required=False, max_length=80)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any topic"),
        error_messages={"invalid_choice": _("Unknown topic.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("Any category")), *Category.choices],
        error_messages={"invalid_choice": _("Unknown category: “%(value)s”.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language"))],
        error_messages={"invalid_choice": _("choose a language from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", _("Any language")), *language_choices()]
