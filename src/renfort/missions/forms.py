"""Forms of the mission pages: filters of the plan and the matrix, and the secretariat's actions."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Sequence
from itertools import islice
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Region
from renfort.assistance.models import Level
from renfort.lib.dates import validate_date_in_range
from renfort.lib.forms import NamedErrorsForm
from renfort.lib.languages import language_choices
from renfort.lib.limits import SHORT_TEXT
from renfort.lib.widgets import SearchableSelect
from renfort.missions.models import MISSION_TRANSITIONS, MissionStatus, MissionType
from renfort.roster.models import Category, Expert, Topic

LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
]
REQUIREMENT_ROWS = 3


def _blank(label: Any, choices: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class PeriodMixin(NamedErrorsForm):
    period_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    period_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end of the period comes before its start."))
        return data


class MissionFilterForm(PeriodMixin):
    """Filters of the plan; every field optional, bad values are ignored with a message."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Reference, title or beneficiary."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("Any status"), MissionStatus.choices)
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=_blank(_("Any type"), MissionType.choices)
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=_blank(_("Any region"), Region.choices)
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.all(),
        to_field_name="code",
        empty_label=_("Any topic"),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=_blank(_("Any level"), Level.choices)
    )
    field_order = ["q", "status", "type", "region", "topic", "level", "period_from", "period_to"]


class MatrixFilterForm(PeriodMixin):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_blank(_("Any category"), Category.choices)
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.all(),
        to_field_name="code",
        empty_label=_("Any topic"),
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=_blank(_("Any language"), LANGUAGES)
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=_blank(_("Any region"), Region.choices)
    )
    field_order = ["category", "topic", "language", "region", "period_from", "period_to"]


class FastSelect(forms.Select):
    """A select rendered in Python rather than one template per option.

    A mission's page or the matrix holds several expert choices of hundreds of options each,
    and the template-per-option rendering of Django's widget would dominate their time.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}

        def options(choices: Iterable[tuple[Any, Any]]) -> SafeString:
            parts = []
            for key, label in choices:
                if isinstance(label, list | tuple):
                    parts.append(
                        format_html('<optgroup label="{}">{}</optgroup>', key, options(label))
                    )
                else:
                    selected = mark_safe(" selected") if str(key) in chosen else ""
                    parts.append(
                        format_html('<option value="{}"{}>{}</option>', key, selected, label)
                    )
            return mark_safe("".join(parts))  # every part is format_html output

        return format_html("<select{}>{}</select>", flatatt(final), options(self.choices))


class PoolSearch(SearchableSelect):
    """The pool searched by name: never rendered as a list of every expert, so a page with
    many slots stays light (no count, no options but the chosen one)."""

    def _is_large(self) -> bool:
        return True


# At most this many suggested experts are listed for a slot; the others are found by name.
SUGGESTIONS = 8


class ExpertChoiceForm(NamedErrorsForm):
    """Pick one expert for a slot: among the few suggested (``missions.candidates``: every
    rule accepts them), or any expert of the pool found by name (``other``); the service
    checks the rules either way."""

    # Only the suggestions are listed; any expert of the slot's category is accepted (the
    # list may have changed since the page was drawn).
    expert = forms.TypedChoiceField(
        label=_("Suggested expert"), coerce=int, required=False, widget=FastSelect
    )
    other = forms.ModelChoiceField(
        label=_("Or another expert of the pool"),
        queryset=Expert.objects.filter(active=True).select_related("home_administration"),
        required=False,
        widget=PoolSearch("experts"),
        help_text=_("Type the start of a first or last name."),
    )
    searchable = True

    def __init__(
        self,
        *args: Any,
        experts: Sequence[Expert] = (),
        suggested: Collection[int] = (),
        slot_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        """``experts``: those of the slot's category; ``suggested``: ids of those whom every
        rule accepts (``missions.candidates``), listed first (at most ``SUGGESTIONS`` when the
        form can search the pool). ``slot_id``: the pool search lists those who fit that slot
        first (``missions:slot_experts``)."""
        super().__init__(*args, **kwargs)
        self.experts = {e.pk: e for e in experts}
        # Every expert the rules accept, listed or not (``tests/test_rule_home.py``).
        self.suggested = {e.pk for e in experts if e.pk in suggested}
        field = self.fields["expert"]
        assert isinstance(field, forms.TypedChoiceField)

        def option(e: Expert) -> tuple[str, str]:
            home = e.home_administration
            return str(e.pk), f"{e} ({home.short_name or home.name})"

        choices: list[tuple[str, Any]] = [("", _("Choose an expert"))]
        if self.searchable:
            # Only the first few suggestions are labelled (a page's pool may hold hundreds).
            shown = [
                option(e) for e in islice((e for e in experts if e.pk in suggested), SUGGESTIONS)
            ]
            choices.extend(shown)
            field.choices = [("", ""), *shown]
            # ``experts`` are those whose profile fits (``candidates.slots_pool``); any other
            # expert of the pool is taken too and the service names the rule it breaks.
            field.valid_value = lambda value: True  # type: ignore[method-assign]
        else:
            fitting = [option(e) for e in experts if e.pk in suggested]
            others = [option(e) for e in experts if e.pk not in suggested]
            if fitting:
                choices.append((str(_("Meet every rule for this slot")), fitting))
                if others:
                    choices.append((str(_("Other experts of this category")), others))
            else:
                choices.extend(others)
            # Accept any expert of the category; show the suggestions first.
            field.choices = [("", ""), *fitting, *others]
        field.widget.choices = choices
        if not self.searchable:
            del self.fields["other"]
        elif slot_id is not None:
            search = self.fields["other"].widget
            assert isinstance(search, PoolSearch)
            search.lookup, search.params = "slot_experts", {"slot": slot_id}

    def clean_expert(self) -> Expert | None:
        pk = self.cleaned_data.get("expert")
        if pk is None or pk == "":
            return None
        try:
            key = int(pk)
        except ValueError as exc:
            raise ValidationError(_("Choose an expert from the list.")) from exc
        if key in self.experts:
            return self.experts[key]
        if self.searchable:
            other = self.fields["other"]
            assert isinstance(other, forms.ModelChoiceField)
            found = other.queryset.filter(pk=key).first()  # type: ignore[union-attr]
            if found is not None:
                return found
        raise ValidationError(_("Choose an expert from the list."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("expert") or data.get("other")
        if chosen is None and not self.errors:
            self.add_error(
                "expert",
                _("Expert: choose a suggested expert, or find another one of the pool by name.")
                if self.searchable
                else _("Expert: choose an expert."),
            )
        data["expert"] = chosen
        return data


class AssignForm(ExpertChoiceForm):
    pinned = forms.BooleanField(label=_("Pin this assignment"), required=False)


class SwapForm(ExpertChoiceForm):
    pass


# An administration with more experts of a slot's category than this offers them through the
# suggestions and a search by name, as the secretariat does (docs/ui.md, "Long lists").
OFFER_LIST_MAX = 30


class OfferForm(ExpertChoiceForm):
    """A lending administration offers one of its own experts: the list holds them all, or,
    above ``OFFER_LIST_MAX``, the suggestions and a search among them by name."""

    searchable = False

    def __init__(self, *args: Any, experts: Sequence[Expert] = (), **kwargs: Any) -> None:
        self.searchable = len(experts) > OFFER_LIST_MAX
        super().__init__(*args, experts=experts, **kwargs)
        if self.searchable:
            other = self.fields["other"]
            assert isinstance(other, forms.ModelChoiceField)
            # Only the administration's own experts, whatever is typed.
            other.queryset = other.queryset.filter(pk__in=[e.pk for e in experts])  # type: ignore[union-attr]


class ExcludeForm(ExpertChoiceForm):
    """Keep an expert out of a slot (``slot_exclusion_add``)."""

    stored_in = {"reason": "missions.SlotExclusion.reason"}

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransitionForm(NamedErrorsForm):
    # The reason for cancelling is also kept on the mission (``Mission.cancel_reason``, the
    # same limit).
    stored_in = {"note": "missions.MissionStatusChange.note"}

    to_status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when cancelling: the reason is sent to everyone involved."),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = MISSION_TRANSITIONS.get(current, frozenset())
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, label) for v, label in MissionStatus.choices if v in allowed]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        note = data.get("note")  # None when already refused (too long): one message is enough
        if (
            data.get("to_status") == MissionStatus.CANCELLED
            and note is not None
            and not note.strip()
        ):
            self.add_error("note", _("Give the reason for cancelling."))
        return data


class DatesForm(NamedErrorsForm):
    stored_in = {"start": "missions.Mission.start", "end": "missions.Mission.end"}

    start = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    end = forms.DateField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            self.add_error("end", _("The last day comes before the first day."))
        return data


def _language_choices() -> list[tuple[str, str]]:
    """Languages by name, in the reader's language (evaluated per form)."""
    return _blank(_("Choose a language"), language_choices())


class MissionEditForm(NamedErrorsForm):
    """The secretariat changes a mission's title, location, language and window
    (``mission_edit``)."""

    stored_in = {
        "title": "missions.Mission.title",
        "location": "missions.Mission.location",
        "window_start": "missions.Mission.window_start",
        "window_end": "missions.Mission.window_end",
    }

    title = forms.CharField(label=_("Title"), max_length=200)
    location = forms.CharField(
        label=_("Location"),
        required=False,
        max_length=200,
        help_text=_("City and country, such as “Nairobi, Kenya”; the country sets the calendar."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices)
    window_start = forms.DateField(
        label=_("Window from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    window_end = forms.DateField(
        label=_("Window to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    duration_days = forms.IntegerField(
        label=_("Duration (days)"),
        required=False,
        min_value=1,
        max_value=366,
        help_text=_("The planner picks this many days within the window."),
    )

    def __init__(self, *args: Any, mission: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": mission.title,
                "location": mission.location,
                "language": mission.language,
                "window_start": mission.window_start,
                "window_end": mission.window_end,
                "duration_days": mission.duration_days,
            },
        )
        super().__init__(*args, **kwargs)


class PostponeForm(NamedErrorsForm):
    """New dates for a confirmed mission (``mission_postpone``)."""

    stored_in = {"start": "missions.Mission.start", "end": "missions.Mission.end"}

    start = forms.DateField(
        label=_("New first day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    end = forms.DateField(
        label=_("New last day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            self.add_error("end", _("The last day comes before the first day."))
        return data


class PlanningOptionsForm(NamedErrorsForm):
    """What the planner may do with the mission's dates (``mission_set_planning_options``)."""

    straddle_weekend = forms.BooleanField(
        label=_("A short mission may straddle a weekend"),
        required=False,
        help_text=_(
            "By default a mission of five working days or fewer of its host's calendar runs "
            "within one working week (Monday to Friday, not Thursday to Wednesday). Tick to let "
            "the planner run it across a weekend; a longer mission may always do so."
        ),
    )


LEVEL_CHOICES = [(str(i), str(i)) for i in range(1, 5)]


class SlotForm(NamedErrorsForm):
    """A slot: a category and up to three topics with a minimum level each."""

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)

    def __init__(self, *args: Any, topics: Sequence[Topic] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic_choices = _blank(_("No topic"), [(t.code, str(t)) for t in topics])
        for i in range(1, REQUIREMENT_ROWS + 1):
            self.fields[f"topic_{i}"] = forms.ChoiceField(
                label=_("Topic %(n)s") % {"n": i}, required=i == 1, choices=topic_choices
            )
            self.fields[f"level_{i}"] = forms.TypedChoiceField(
                label=_("Minimum level %(n)s") % {"n": i},
                required=False,
                coerce=int,
                choices=LEVEL_CHOICES,
                initial="2",
            )

    def requirements(self) -> dict[str, int]:
        """Topic code -> minimum level, from the cleaned rows."""
        out: dict[str, int] = {}
        for i in range(1, REQUIREMENT_ROWS + 1):
            code = self.cleaned_data.get(f"topic_{i}")
            if code:
                out[code] = int(self.cleaned_data.get(f"level_{i}") or 1)
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: set[str] = set()
        for i in range(1, REQUIREMENT_ROWS + 1):
            code = data.get(f"topic_{i}")
            if code and code in seen:
                self.add_error(f"topic_{i}", _("This topic is already required above."))
            if code:
                seen.add(code)
        return data
