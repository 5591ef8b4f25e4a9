"""Forms of the request workflow: submitting, filtering, appraising."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation, OrganisationKind, Region
from renfort.assistance.models import Level, Request, RequestStatus
from renfort.lib.dates import validate_date_in_range
from renfort.lib.forms import NamedErrorsForm
from renfort.lib.languages import language_choices
from renfort.lib.limits import LONG_TEXT
from renfort.lib.widgets import SearchableSelectMultiple
from renfort.roster.models import Topic

SEARCH_MAX = 200
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RequestForm(NamedErrorsForm):
    """A member administration's request for assistance."""

    stored_in = {
        name: f"assistance.Request.{name}"
        for name in ("title", "needs", "preferred_start", "preferred_end")
    }

    title = forms.CharField(label=_("Title"), max_length=200)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one topic."),
            "invalid_choice": _("Unknown topic: “%(value)s”."),
        },
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    needs = forms.CharField(
        label=_("Needs"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What your administration needs, and the result it expects."),
    )
    preferred_start = forms.DateField(
        label=_("Preferred period from"), widget=DATE_WIDGET, validators=[validate_date_in_range]
    )
    preferred_end = forms.DateField(
        label=_("Preferred period to"), widget=DATE_WIDGET, validators=[validate_date_in_range]
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", "---------")],
        help_text=_("The language the mission will work in."),
        error_messages={"invalid_choice": _("“%(value)s” is not an ISO 639-1 language code.")},
    )
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=1,
        max_value=5,
        initial=3,
        help_text=_("1 (low) to 5 (urgent)."),
    )
    co_requesting = forms.ModelMultipleChoiceField(
        label=_("Co-requesting administrations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=SearchableSelectMultiple(
            "organisations", params={"kind": OrganisationKind.MEMBER_ADMINISTRATION}
        ),
        help_text=_(
            "For a regional request: the other member administrations asking with yours. "
            "Type the start of a name or country."
        ),
        error_messages={"invalid_choice": _("Unknown member administration: “%(value)s”.")},
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        request: Request | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None:
            kwargs.setdefault("initial", initial_from(request, organisation))
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        # By name, sorted in the reader's language (lib/languages.py).
        language.choices = [("", "---------"), *language_choices()]
        if not self.is_bound and organisation.languages:
            self.initial.setdefault("language", organisation.languages[0])
        others = self.fields["co_requesting"]
        assert isinstance(others, forms.ModelMultipleChoiceField)
        others.queryset = (
            Organisation.objects.filter(kind=OrganisationKind.MEMBER_ADMINISTRATION)
            .exclude(pk=organisation.pk)
            .order_by("name", "pk")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("preferred_start"), data.get("preferred_end")
        if start and end and end < start:
            self.add_error(
                "preferred_end",
                _("The preferred period must end on or after its first day."),
            )
        return data

    def administrations(self) -> list[Organisation]:
        """The requesting administrations: the user's own first, then the co-requesters."""
        return [self.organisation, *self.cleaned_data.get("co_requesting", [])]


def initial_from(request: Request, organisation: Organisation) -> dict[str, Any]:
    """The request form filled with ``request`` as it is (``organisation``: the user's own,
    not a co-requester)."""
    return {
        "title": request.title,
        "topics": [t.code for t in request.topics.all()],
        "level": request.level,
        "needs": request.needs,
        "preferred_start": request.preferred_start,
        "preferred_end": request.preferred_end,
        "language": request.language,
        "priority": request.priority,
        "co_requesting": [a.pk for a in request.administrations.all() if a.pk != organisation.pk],
    }


class RequestFilterForm(NamedErrorsForm):
    """Filters of the request list; every one optional."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_MAX,
        help_text=_("Reference, title, needs or requesting administration."),
    )

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *RequestStatus.choices],
        error_messages={"invalid_choice": _("Unknown status: “%(value)s”.")},
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels")), *Level.choices],
        error_messages={"invalid_choice": _("Unknown level: “%(value)s”.")},
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All topics"),
        error_messages={"invalid_choice": _("Unknown topic.")},
    )
    region = forms.ChoiceField(
        label=_("WCO region"),
        required=False,
        choices=[("", _("All regions")), *Region.choices],
        error_messages={"invalid_choice": _("Unknown region: “%(value)s”.")},
    )

    def __init__(self, *args: Any, with_region: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_region:
            del self.fields["region"]

    def apply(self, requests: QuerySet[Request]) -> QuerySet[Request]:
        """``requests`` narrowed by the valid filters (all of them when the form is unbound)."""
        if not self.is_valid():
            return requests
        data = self.cleaned_data
        if data["q"]:
            requests = requests.filter(_matches(data["q"]))
        if data["status"]:
            requests = requests.filter(status=data["status"])
        if data["level"]:
            requests = requests.filter(level=data["level"])
        if data["topic"]:
            requests = requests.filter(
                pk__in=Request.topics.through.objects.filter(topic=data["topic"]).values(
                    "request_id"
                )
            )
        if data.get("region"):
            requests = requests.filter(
                pk__in=Request.administrations.through.objects.filter(
                    organisation__region=data["region"]
                ).values("request_id")
            )
        return requests


def _matches(text: str) -> Q:
    """Every word of ``text`` in the reference, title, needs or a requesting administration's
    name (``icontains``: a few thousand requests at most, each read once per page)."""
    condition = Q()
    for word in text.split()[:8]:
        admins = Request.administrations.through.objects.filter(
            Q(organisation__name__icontains=word) | Q(organisation__short_name__icontains=word)
        ).values("request_id")
        condition &= (
            Q(reference__icontains=word)
            | Q(title__icontains=word)
            | Q(needs__icontains=word)
            | Q(pk__in=admins)
        )
    return condition


class MergeForm(NamedErrorsForm):
    requests = forms.ModelMultipleChoiceField(
        label=_("Requests to merge"),
        queryset=Request.objects.none(),
        error_messages={
            "required": _("Choose at least two requests to merge."),
            "invalid_choice": _("Request “%(value)s” cannot be merged from this queue."),
        },
    )

    def __init__(self, *args: Any, queue: QuerySet[Request], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["requests"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = queue

    def clean_requests(self) -> Any:
        chosen = self.cleaned_data["requests"]
        if len(chosen) < 2:
            raise forms.ValidationError(_("Choose at least two requests to merge."))
        return chosen
