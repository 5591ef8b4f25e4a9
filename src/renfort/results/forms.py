"""The forms of what follows a mission: its delivery, an expert's report and its follow-up
actions, a beneficiary's evaluation, a follow-up marked done, the follow-ups filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation
from renfort.lib.dates import validate_date_in_range
from renfort.lib.forms import NamedErrorsForm
from renfort.lib.limits import LONG_TEXT, SHORT_TEXT
from renfort.roster.models import Expert

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
RATINGS = [(str(n), str(n)) for n in range(1, 6)]


class DeliveryForm(NamedErrorsForm):
    stored_in = {
        "actual_start": "results.MissionDelivery.actual_start",
        "actual_end": "results.MissionDelivery.actual_end",
        "note": "results.MissionDelivery.note",
    }

    actual_start = forms.DateField(
        label=_("Actual first day"), widget=DATE_INPUT, validators=[validate_date_in_range]
    )
    actual_end = forms.DateField(
        label=_("Actual last day"), widget=DATE_INPUT, validators=[validate_date_in_range]
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example why the dates differ from the planned ones."),
    )


class ReportForm(NamedErrorsForm):
    stored_in = {
        "activities": "results.MissionReport.activities",
        "findings": "results.MissionReport.findings",
        "recommendations": "results.MissionReport.recommendations",
    }

    activities = forms.CharField(
        label=_("Activities"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What the mission did: sessions, visits, people trained. At most 4,000 characters."
        ),
    )
    findings = forms.CharField(
        label=_("Findings (optional)"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you found at the administration. At most 4,000 characters."),
    )
    recommendations = forms.CharField(
        label=_("Recommendations (optional)"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the administration could do next. At most 4,000 characters."),
    )


class FollowUpForm(NamedErrorsForm):
    """One follow-up action of a report; a row left empty is no action."""

    stored_in = {
        "description": "results.FollowUpAction.description",
        "due_on": "results.FollowUpAction.due_on",
    }

    description = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int)
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=DATE_INPUT, validators=[validate_date_in_range]
    )

    def __init__(self, *args: Any, owners: Sequence[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {o.pk: o for o in owners}
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "–"), *((o.pk, o.name) for o in owners)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get("description"), data.get("owner"), data.get("due_on")]
        if any(given) and not all(given):
            if not data.get("description"):
                self.add_error("description", _("Action: say what is to be done."))
            if not data.get("owner"):
                self.add_error("owner", _("Owner: choose who does it."))
            if not data.get("due_on") and "due_on" not in self.errors:
                self.add_error("due_on", _("Due on: give the day it is due."))
        return data

    def owner_organisation(self) -> Organisation | None:
        return self.owners.get(self.cleaned_data.get("owner") or 0)


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=3, max_num=10, validate_max=True)


class EvaluationForm(NamedErrorsForm):
    """The mission's rating and comments, then a rating (and an optional comment) for each of
    its experts: ``expert_<id>_rating``, ``expert_<id>_comment``."""

    stored_in = {"comments": "results.Evaluation.comments"}

    rating = forms.TypedChoiceField(
        label=_("Mission rating"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("How useful was the mission? 1: not useful; 5: very useful."),
    )
    comments = forms.CharField(
        label=_("Comments (optional)"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, experts: Sequence[Expert] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.experts = list(experts)
        for expert in self.experts:
            self.fields[f"expert_{expert.pk}_rating"] = forms.TypedChoiceField(
                label=_("Rating of %(expert)s") % {"expert": expert},
                choices=RATINGS,
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"expert_{expert.pk}_comment"] = forms.CharField(
                label=_("Comment on %(expert)s (optional)") % {"expert": expert},
                required=False,
                max_length=SHORT_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def expert_ratings(self) -> list[tuple[Expert, int, str]]:
        return [
            (
                expert,
                self.cleaned_data[f"expert_{expert.pk}_rating"],
                self.cleaned_data.get(f"expert_{expert.pk}_comment", ""),
            )
            for expert in self.experts
        ]


class FollowUpDoneForm(NamedErrorsForm):
    stored_in = {
        "note": "results.FollowUpAction.done_note",
        "done_on": "results.FollowUpAction.done_on",
    }

    note = forms.CharField(
        label=_("What was done"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The secretariat and the expert who asked for it will read it."),
    )
    done_on = forms.DateField(
        label=_("Done on (optional)"),
        required=False,
        widget=DATE_INPUT,
        validators=[validate_date_in_range],
        help_text=_("Today if left empty."),
    )


class FollowUpFilterForm(NamedErrorsForm):
    SHOW = [
        ("open", _("Open")),
        ("overdue", _("Overdue")),
        ("done", _("Done")),
        ("all", _("All")),
    ]

    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)
    owner = forms.ChoiceField(
        label=_("Owner"),
        required=False,
        choices=[("", _("The secretariat")), ("all", _("Everyone"))],
    )
