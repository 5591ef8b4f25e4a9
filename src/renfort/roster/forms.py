"""Forms of the expert pool: an expert's own profile and availability, answers to invitations
and release decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renfort.lib.dates import validate_date_in_range
from renfort.lib.forms import NamedErrorsForm
from renfort.lib.languages import ISO_639_1
from renfort.lib.limits import SHORT_TEXT
from renfort.roster.models import Category, Topic

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LanguagesField(forms.CharField):
    """ISO 639-1 codes typed as "en, fr" (commas or spaces), cleaned to a list."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        codes: list[str] = []
        for code in text.replace(",", " ").split():
            code = code.strip().lower()
            if code not in codes:
                codes.append(code)
        return codes

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def validate(self, value: Any) -> None:
        if not value:
            raise forms.ValidationError(_("Give at least one working language."), code="required")
        unknown = [code for code in value if code not in ISO_639_1]
        if unknown:
            raise forms.ValidationError(
                _("Not ISO 639-1 language codes: %(codes)s (use two letters, e.g. en, fr)."),
                code="invalid",
                params={"codes": ", ".join(unknown)},
            )


class ProfileForm(NamedErrorsForm):
    stored_in = {"email": "roster.Expert.email"}

    languages = LanguagesField(
        label=_("Working languages"),
        max_length=100,
        help_text=_("ISO 639-1 codes separated by commas, e.g. en, fr, es."),
    )
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)


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
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=2,
        help_text=_("ISO 639-1, e.g. fr."),
    )

    def clean_language(self) -> str:
        code = self.cleaned_data["language"].strip().lower()
        if code and code not in ISO_639_1:
            raise forms.ValidationError(
                _("“%(code)s” is not an ISO 639-1 language code."), params={"code": code}
            )
        return code
