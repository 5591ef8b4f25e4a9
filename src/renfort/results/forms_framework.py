"""The forms of the results framework: an objective and the work it is linked to (named by
reference), an indicator, an indicator's value for a period, the filters of the objectives
and of the delivery plan."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from renfort.accounts.models import Region
from renfort.agreements.models import Agreement
from renfort.assistance.models import Level, Request
from renfort.lib.dates import validate_date_in_range
from renfort.lib.forms import NamedErrorsForm
from renfort.lib.limits import LONG_TEXT, SHORT_TEXT
from renfort.missions.models import Mission
from renfort.results.models import Direction
from renfort.roster.models import Topic

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
# Links of one kind an objective takes from the form (the admin takes any number).
MAX_LINKS = 50
REFERENCE_SEPARATORS = re.compile(r"[\s,;]+")
LEVELS_FIRST_BROAD = [
    (Level.STRATEGIC.value, Level.STRATEGIC.label),
    (Level.TACTICAL.value, Level.TACTICAL.label),
    (Level.OPERATIONAL.value, Level.OPERATIONAL.label),
]


def references_of(text: str) -> list[str]:
    """The references typed in ``text`` (separated by commas, semicolons, spaces or lines),
    upper-cased, each once, in the order typed."""
    seen: dict[str, None] = {}
    for word in REFERENCE_SEPARATORS.split(text or ""):
        if word:
            seen.setdefault(word.upper(), None)
    return list(seen)


def _linked(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}),
    )


class ObjectiveForm(NamedErrorsForm):
    """An objective; the requests, missions and agreements it is linked to are named by
    their references, each checked to exist (``cleaned_data`` holds the rows)."""

    stored_in = {
        "title": "results.Objective.title",
        "description": "results.Objective.description",
    }

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    level = forms.ChoiceField(
        label=gettext_lazy("Level"),
        choices=LEVELS_FIRST_BROAD,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Strategic: the administration's direction; tactical: a programme or a unit; "
            "operational: a procedure or a team."
        ),
    )
    description = forms.CharField(
        label=gettext_lazy("Description (optional)"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What the objective aims at. At most 4,000 characters."),
    )
    requests = _linked(gettext_lazy("Requests for assistance (optional)"))
    missions = _linked(gettext_lazy("Missions (optional)"))
    agreements = _linked(gettext_lazy("Agreements (optional)"))

    EXAMPLES = {
        "requests": "R-2027-004",
        "missions": "M-2027-014, M-2027-015",
        "agreements": "AG-2027-002",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, example in self.EXAMPLES.items():
            self.fields[name].help_text = _(
                "Their references, separated by commas or spaces, such as %(example)s. At "
                "most %(max)s."
            ) % {"example": example, "max": MAX_LINKS}

    def _rows(self, name: str, model: type[Model], label: str, what: str) -> list[Any]:
        wanted = references_of(self.cleaned_data.get(name, ""))
        if len(wanted) > MAX_LINKS:
            raise forms.ValidationError(
                _("%(label)s: %(n)s references, at most %(max)s.")
                % {"label": label, "n": len(wanted), "max": MAX_LINKS}
            )
        qs: QuerySet[Any] = model._default_manager.filter(reference__in=wanted)
        found = {row.reference: row for row in qs}
        unknown = [ref for ref in wanted if ref not in found]
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "%(label)s: %(refs)s is not the reference of %(what)s.",
                    "%(label)s: %(refs)s are not references of %(what)s.",
                    len(unknown),
                )
                % {"label": label, "refs": ", ".join(unknown), "what": what}
            )
        return [found[ref] for ref in wanted]

    def clean_requests(self) -> list[Request]:
        return self._rows(
            "requests", Request, _("Requests for assistance"), _("a request for assistance")
        )

    def clean_missions(self) -> list[Mission]:
        return self._rows("missions", Mission, _("Missions"), _("a mission"))

    def clean_agreements(self) -> list[Agreement]:
        return self._rows("agreements", Agreement, _("Agreements"), _("an agreement"))


def references_text(rows: Iterable[Any]) -> str:
    """The references of ``rows``, as the objective form shows them."""
    return ", ".join(sorted(row.reference for row in rows))


class IndicatorForm(NamedErrorsForm):
    stored_in = {
        "name": "results.Indicator.name",
        "unit": "results.Indicator.unit",
        "baseline_date": "results.Indicator.baseline_date",
        "target_date": "results.Indicator.target_date",
    }

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        help_text=gettext_lazy("What is measured, such as “Average release time”."),
    )
    unit = forms.CharField(
        label=gettext_lazy("Unit (optional)"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Such as hours, %, declarations."),
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Which way is better?"),
        choices=Direction.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Lower is better for a release time or a cost: its target lies below its baseline."
        ),
    )
    baseline = forms.DecimalField(
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        label=gettext_lazy("Baseline"),
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy("The value when the work started."),
    )
    target = forms.DecimalField(
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        label=gettext_lazy("Target"),
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy("The value aimed at."),
    )
    baseline_date = forms.DateField(
        label=gettext_lazy("Baseline date (optional)"),
        required=False,
        widget=DATE_INPUT,
        validators=[validate_date_in_range],
    )
    target_date = forms.DateField(
        label=gettext_lazy("Target date (optional)"),
        required=False,
        widget=DATE_INPUT,
        validators=[validate_date_in_range],
    )


class ActualForm(NamedErrorsForm):
    """An indicator's value over a period (a period recorded again is corrected)."""

    stored_in = {
        "period_start": "results.IndicatorActual.period_start",
        "period_end": "results.IndicatorActual.period_end",
        "note": "results.IndicatorActual.note",
    }

    period_start = forms.DateField(
        label=gettext_lazy("Period from"), widget=DATE_INPUT, validators=[validate_date_in_range]
    )
    period_end = forms.DateField(
        label=gettext_lazy("Period to"), widget=DATE_INPUT, validators=[validate_date_in_range]
    )
    value = forms.DecimalField(
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        label=gettext_lazy("Value"),
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy("In the indicator's unit, such as 36.5."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Such as where the figure comes from."),
    )


class ObjectiveFilterForm(NamedErrorsForm):
    q = forms.CharField(label=gettext_lazy("Title has"), required=False, max_length=200)
    level = forms.ChoiceField(
        label=gettext_lazy("Level"),
        required=False,
        choices=[("", gettext_lazy("All levels")), *LEVELS_FIRST_BROAD],
    )
    agreement = forms.CharField(
        label=gettext_lazy("Agreement"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Its reference or part of its title."),
    )
    member = forms.CharField(
        label=gettext_lazy("Member administration"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Part of its name, or its country code (SN)."),
    )


class PlanFilterForm(NamedErrorsForm):
    region = forms.ChoiceField(
        label=gettext_lazy("Region"),
        required=False,
        choices=[("", gettext_lazy("All regions")), *Region.choices],
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Level"),
        required=False,
        choices=[("", gettext_lazy("All levels")), *LEVELS_FIRST_BROAD],
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topic"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("All topics")),
            *sorted(((t.code, str(t)) for t in Topic.objects.all()), key=lambda c: c[1]),
        ]


class PlanYearForm(NamedErrorsForm):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
