"""The timeline's filters: grouping, region and period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Region
from renfort.calendars.layout import GROUPINGS
from renfort.missions.forms import PeriodMixin


class TimelineForm(PeriodMixin):
    group = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=list(zip(GROUPINGS, [_("Expert"), _("Member"), _("Region")], strict=True)),
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any region")), *Region.choices]
    )
    field_order = ["group", "region", "period_from", "period_to"]
