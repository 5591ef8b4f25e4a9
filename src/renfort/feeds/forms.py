"""The form that creates a calendar feed: one per kind of feed, holding only that kind's
target field, whose choices are what the person may follow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import OrganisationKind, Region, Role, User
from renfort.feeds.models import FeedKind
from renfort.feeds.selectors import (
    feed_donors_for,
    feed_experts_for,
    feed_members_for,
    feed_regions_for,
)
from renfort.lib.forms import NamedErrorsForm
from renfort.lib.widgets import SearchableSelect

# Above this many choices, the no-JavaScript select becomes a search box: the page weighs the
# same whatever the size of the pool (config/tests/test_bounded_pages.py).
SELECT_THRESHOLD = 20
HINTS: dict[str, Any] = {
    FeedKind.EXPERT: _("The missions the expert is invited to or takes part in."),
    FeedKind.MEMBER: _(
        "The missions the administration receives, and those it lends an expert to."
    ),
    FeedKind.REGION: _("The missions of the region's member administrations."),
    FeedKind.DONOR: _("The missions of the agreements the organisation funds."),
    FeedKind.PLAN: _("Every mission of the plan."),
}


class FeedForm(NamedErrorsForm):
    kind = forms.ChoiceField(choices=FeedKind.choices, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"feed-{kind}-%s")
        super().__init__(*args, **kwargs)
        self.feed_kind = kind
        self.fields["kind"].initial = kind
        if kind == FeedKind.EXPERT:
            experts = feed_experts_for(user).order_by("last_name", "first_name", "pk")
            self.fields["expert"] = forms.ModelChoiceField(
                label=_("Expert"),
                queryset=experts,
                widget=SearchableSelect("experts", threshold=SELECT_THRESHOLD),
                error_messages={"required": _("Choose the expert whose missions to follow.")},
            )
            self._single("expert", experts)
        elif kind in {FeedKind.MEMBER, FeedKind.DONOR}:
            member = kind == FeedKind.MEMBER
            orgs = (feed_members_for(user) if member else feed_donors_for(user)).order_by("name")
            kinds = (
                [OrganisationKind.MEMBER_ADMINISTRATION]
                if member
                else [OrganisationKind.MEMBER_ADMINISTRATION, OrganisationKind.DONOR_AGENCY]
            )
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Member administration") if member else _("Funding organisation"),
                queryset=orgs,
                # The lookup lists every organisation of these kinds: only the secretariat,
                # which may follow any, searches it; others choose among their few.
                widget=SearchableSelect(
                    "organisations", params={"kind": kinds}, threshold=SELECT_THRESHOLD
                )
                if user.role == Role.SECRETARIAT_COORDINATOR
                else forms.Select,
                error_messages={
                    "required": _("Choose the administration whose missions to follow.")
                    if member
                    else _("Choose the organisation whose funded missions to follow.")
                },
            )
            self._single("organisation", orgs)
        elif kind == FeedKind.REGION:
            regions = feed_regions_for(user)
            labels = dict(Region.choices)
            self.fields["region"] = forms.ChoiceField(
                label=_("Region"),
                choices=[("", "---------")] + [(r, labels[r]) for r in regions],
                error_messages={"required": _("Choose the region whose missions to follow.")},
            )
            if len(regions) == 1:
                self.fields["region"].initial = regions[0]

    def _single(self, name: str, queryset: Any) -> None:
        """With one choice only (a person's own administration, an expert herself), it is
        chosen already."""
        first_two = list(queryset[:2])
        if len(first_two) == 1:
            self.fields[name].initial = first_two[0].pk
            self.fields[name].empty_label = None  # type: ignore[attr-defined]

    @property
    def hint(self) -> str:
        return str(HINTS[FeedKind(self.feed_kind)])

    @property
    def title(self) -> str:
        return str(FeedKind(self.feed_kind).label)
