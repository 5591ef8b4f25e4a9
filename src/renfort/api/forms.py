"""The form of the token page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renfort.api.models import NAME_MAX
from renfort.api.tokens import MAX_EXPIRES_DAYS
from renfort.lib.forms import NamedErrorsForm


class TokenForm(NamedErrorsForm):
    stored_in = {"name": "api.ApiToken.name"}

    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        help_text=_("What the token is for, such as “HR roster sync”."),
    )
    expires_days = forms.IntegerField(
        label=_("Expires after (days)"),
        required=False,
        min_value=1,
        max_value=MAX_EXPIRES_DAYS,
        help_text=_("Leave empty for a token that lasts until you revoke it."),
    )
