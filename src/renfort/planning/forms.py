"""Forms of the planner pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from renfort.lib.countries import country_name
from renfort.lib.dates import validate_date_in_range
from renfort.lib.forms import NamedErrorsForm
from renfort.lib.languages import language_name
from renfort.lib.widgets import SearchableSelectMultiple
from renfort.missions.models import Mission
from renfort.planning.problem import plannable_missions
from renfort.planning.services import TIME_LIMIT_RANGE
from renfort.roster.models import Expert


class DateInput(forms.DateInput):
    input_type = "date"


def mission_label(obj: Mission) -> str:
    """A plannable mission as the new-run form names it: reference, title, status, dates."""
    when = (
        f"{obj.start:%Y-%m-%d}..{obj.end:%Y-%m-%d}"
        if obj.start and obj.end
        else f"{obj.duration_days} d in {obj.window_start:%Y-%m-%d}..{obj.window_end:%Y-%m-%d}"
    )
    return f"{obj.reference} · {obj.title} · {obj.get_status_display()} · {when}"


class MissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Mission) -> str:
        return mission_label(obj)


class RunCreateForm(NamedErrorsForm):
    """Which missions to plan (chosen ones plus those in the period) and for how long."""

    stored_in = {
        "period_start": "planning.PlannerRun.period_start",
        "period_end": "planning.PlannerRun.period_end",
    }

    missions = MissionChoiceField(
        label=_("Missions"),
        queryset=Mission.objects.none(),
        required=False,
        # Searched on the server: the form never lists every plannable mission (a plain
        # list of checkboxes up to the widget's threshold, 200).
        widget=SearchableSelectMultiple("plannable_missions"),
        help_text=_(
            "Draft, planned and scheduled missions with expert slots: type a reference or "
            "words of the title. Missions in the period below are planned without being chosen."
        ),
    )
    period_start = forms.DateField(
        label=_("Period from"),
        required=False,
        widget=DateInput,
        validators=[validate_date_in_range],
    )
    period_end = forms.DateField(
        label=_("Period to"), required=False, widget=DateInput, validators=[validate_date_in_range]
    )
    time_limit_s = forms.FloatField(
        label=_("Time limit (seconds)"),
        min_value=TIME_LIMIT_RANGE[0],
        max_value=TIME_LIMIT_RANGE[1],
        help_text=_("The planner returns its best plan when the time is up."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["missions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = plannable_missions()
        self.fields["time_limit_s"].initial = settings.PLANNER_TIME_LIMIT_S

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        if not data.get("missions") and not start and not end:
            raise forms.ValidationError(_("Choose missions, a period, or both."))
        return data


class SwapForm(NamedErrorsForm):
    """Another expert for one proposal, picked among the slot's qualified pool experts."""

    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, candidates: Sequence[Expert], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {e.pk: e for e in candidates}
        field = self.fields["expert"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (
                e.pk,
                f"{e} ({country_name(e.home_administration.country)}) · "
                + ", ".join(language_name(code) for code in e.languages),
            )
            for e in candidates
        ]

    @property
    def chosen(self) -> Expert:
        return self.candidates[self.cleaned_data["expert"]]
