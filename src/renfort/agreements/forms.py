"""Forms of the agreement pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renfort.agreements.models import AgreementKind, PartyRole
from renfort.lib.dates import validate_date_in_range
from renfort.lib.forms import NamedErrorsForm


class AgreementFilterForm(NamedErrorsForm):
    """Filters of the agreement list; every one optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *AgreementKind.choices]
    )
    role = forms.ChoiceField(
        label=_("Party role"),
        required=False,
        choices=[("", _("Any role")), *PartyRole.choices],
        help_text=_(
            "Agreements in which your organisation (or any party, for the secretariat) "
            "holds this role."
        ),
    )
    active_on = forms.DateField(
        label=_("In force on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
