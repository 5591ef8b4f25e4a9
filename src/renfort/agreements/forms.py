"""Forms of the agreement pages. They parse what people type; the services hold the rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renfort.accounts.models import Organisation, OrganisationKind, Region
from renfort.agreements.models import (
    AGREEMENT_TRANSITIONS,
    AgreementKind,
    AgreementStatus,
    BudgetLine,
    DocumentKind,
    PartyRole,
)
from renfort.agreements.services.costs import country_codes
from renfort.lib import countries
from renfort.lib.dates import validate_date_in_range
from renfort.lib.forms import NamedErrorsForm
from renfort.lib.limits import LONG_TEXT, SHORT_TEXT
from renfort.lib.widgets import SearchableSelect

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CURRENCY_HELP = _("ISO 4217 code, such as EUR, USD or XOF.")


class AgreementFilterForm(NamedErrorsForm):
    """Filters of the agreement list; every one optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *AgreementStatus.choices],
    )
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


class AgreementForm(NamedErrorsForm):
    """An agreement's terms (its parties come in ``PartyForm`` rows beside it)."""

    stored_in = {
        name: f"agreements.Agreement.{name}"
        for name in ("reference", "title", "start", "end", "currency", "description")
    }

    reference = forms.CharField(
        label=_("Reference (optional)"),
        max_length=20,
        required=False,
        help_text=_("Leave empty to take the next reference, such as AG-2027-004."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=AgreementKind.choices,
        help_text=_(
            "Bilateral: 2 organisations. Tripartite: the secretariat, a funding donor and a "
            "beneficiary member. Multilateral: 3 organisations or more."
        ),
    )
    start = forms.DateField(
        label=_("From"), widget=DATE_WIDGET, validators=[validate_date_in_range]
    )
    end = forms.DateField(label=_("To"), widget=DATE_WIDGET, validators=[validate_date_in_range])
    budget = forms.DecimalField(label=_("Budget"), min_value=0, max_digits=14, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="EUR", help_text=CURRENCY_HELP
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["reference"]


def organisation_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every organisation, grouped: the secretariat, donors, regional offices, then the member
    administrations by WCO region (one query)."""
    kinds = dict(OrganisationKind.choices)
    regions = dict(Region.choices)
    groups: dict[str, list[tuple[str, str]]] = {}
    order: list[str] = [
        OrganisationKind.SECRETARIAT.value,
        OrganisationKind.DONOR_AGENCY.value,
        OrganisationKind.REGIONAL_OFFICE.value,
        OrganisationKind.MEMBER_ADMINISTRATION.value,
    ]
    rows = Organisation.objects.order_by("name").values_list("pk", "name", "kind", "region")
    for pk, name, kind, region in sorted(rows, key=lambda r: (order.index(r[2]), r[3], r[1])):
        if kind == OrganisationKind.MEMBER_ADMINISTRATION:
            group = f"{kinds[kind]} · {regions.get(region, _('No region'))}"
        else:
            group = str(kinds.get(kind, kind))
        groups.setdefault(group, []).append((str(pk), name))
    return list(groups.items())


class PartyForm(NamedErrorsForm):
    """One party: an organisation and its role (an empty row is left out)."""

    organisation = forms.ChoiceField(
        label=_("Organisation"), required=False, widget=SearchableSelect("organisations")
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", "---------"), *PartyRole.choices]
    )

    def __init__(self, *args: Any, organisations: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "---------"), *organisations]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organisation") and not data.get("role"):
            self.add_error("role", _("Role: choose the role of this organisation."))
        if data.get("role") and not data.get("organisation"):
            self.add_error("organisation", _("Organisation: choose the organisation."))
        return data


PartyFormSet = forms.formset_factory(PartyForm, extra=0)


def party_formset(
    data: Any = None, *, initial: Iterable[dict[str, str]] = (), blank: int = 3
) -> Any:
    """The party rows: the current ones, then ``blank`` empty rows to add more."""
    rows = [*initial, *({} for _ in range(blank))]
    return PartyFormSet(
        data,
        initial=rows,
        prefix="parties",
        form_kwargs={"organisations": organisation_choices()},
    )


def parties_from(formset: Any) -> list[tuple[Organisation, str]]:
    """The (organisation, role) pairs of a valid formset, in its order (one query)."""
    rows = [
        (int(form.cleaned_data["organisation"]), form.cleaned_data["role"])
        for form in formset.forms
        if form.cleaned_data.get("organisation")
    ]
    orgs = Organisation.objects.in_bulk([pk for pk, _role in rows])
    return [(orgs[pk], role) for pk, role in rows if pk in orgs]


class BudgetLineForm(NamedErrorsForm):
    stored_in = {"name": "agreements.BudgetLine.name"}

    name = forms.CharField(label=_("Name"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=14, decimal_places=2)


def _line_choices(lines: Iterable[BudgetLine]) -> list[tuple[str, str]]:
    return [("", "---------"), *((str(line.pk), line.name) for line in lines)]


class FundingForm(NamedErrorsForm):
    """Fund a mission, named by its reference (the page suggests a few)."""

    stored_in = {"mission": "missions.Mission.reference"}

    mission = forms.CharField(
        label=_("Mission reference"),
        max_length=20,
        help_text=_("Such as M-2027-014; start typing to see missions in the period."),
        widget=forms.TextInput(attrs={"list": "missions-to-fund", "autocomplete": "off"}),
    )
    budget_line = forms.ChoiceField(label=_("Budget line"), required=False)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args: Any, lines: Iterable[BudgetLine] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["budget_line"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _line_choices(lines)


class FundingChangeForm(NamedErrorsForm):
    budget_line = forms.ChoiceField(label=_("Budget line"), required=False)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args: Any, lines: Iterable[BudgetLine] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["budget_line"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _line_choices(lines)


class ActualCostForm(NamedErrorsForm):
    """What was paid for a delivered mission, on one budget line."""

    stored_in = {
        "mission": "missions.Mission.reference",
        "description": "agreements.ActualCost.description",
        "paid_on": "agreements.ActualCost.paid_on",
        "paid_currency": "agreements.ActualCost.paid_currency",
    }

    mission = forms.CharField(label=_("Mission reference"), max_length=20)
    budget_line = forms.ChoiceField(label=_("Budget line"))
    description = forms.CharField(
        label=_("What was paid"),
        max_length=200,
        help_text=_("Such as daily allowances, air tickets, venue."),
    )
    paid_on = forms.DateField(
        label=_("Paid on"), widget=DATE_WIDGET, validators=[validate_date_in_range]
    )
    paid_amount = forms.DecimalField(
        label=_("Amount paid"), min_value=0, max_digits=14, decimal_places=2
    )
    paid_currency = forms.CharField(label=_("Currency paid"), max_length=3, help_text=CURRENCY_HELP)
    exchange_rate = forms.DecimalField(
        label=_("Exchange rate (when paid in another currency)"),
        required=False,
        max_digits=16,
        decimal_places=6,
        min_value=0,
        help_text=_("How many units of the agreement's currency one unit paid was worth."),
    )

    def __init__(self, *args: Any, lines: Iterable[BudgetLine] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["budget_line"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _line_choices(lines)


class DocumentForm(NamedErrorsForm):
    stored_in = {"title": "agreements.AgreementDocument.title"}

    file = forms.FileField(
        label=_("PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=200,
        required=False,
        help_text=_("The file's name when left empty."),
    )


class AgreementTransitionForm(NamedErrorsForm):
    to_status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=pgettext_lazy("agreement", "Note (optional)"),
        max_length=SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        labels = dict(AgreementStatus.choices)
        field.choices = [(s, labels[s]) for s in sorted(AGREEMENT_TRANSITIONS.get(current, ()))]


def country_choices() -> list[tuple[str, str]]:
    """Every country by name in the reader's language, sorted as that language sorts."""
    return [("", "---------"), *countries.country_choices(country_codes())]


class AllowanceRateForm(NamedErrorsForm):
    stored_in = {"currency": "agreements.DailyAllowanceRate.currency"}

    country = forms.ChoiceField(label=_("Country"))
    currency = forms.CharField(label=_("Currency"), max_length=3, help_text=CURRENCY_HELP)
    daily_allowance = forms.DecimalField(
        label=_("Daily allowance"), min_value=0, max_digits=10, decimal_places=2
    )
    travel = forms.DecimalField(
        label=_("Travel per expert"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("A return journey to this country for one expert."),
    )
    illustrative = forms.BooleanField(
        label=_("Illustrative figure (not an official rate)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = country_choices()
