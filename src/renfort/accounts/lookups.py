"""The organisations lookup behind ``SearchableSelect("organisations")`` (lib/widgets.py).

Organisations are parties known to every signed-in user (names of administrations and
agencies, no personal data); a form's own queryset still decides what it accepts.
``?kind=member`` (repeatable) narrows to some kinds.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase

from renfort.accounts.models import Organisation, OrganisationKind
from renfort.accounts.permissions import login_redirect
from renfort.lib.countries import country_name
from renfort.lib.widgets import lookup_page


def _text(organisation: Organisation) -> str:
    country = country_name(organisation.country) if organisation.country else ""
    if country and country.casefold() not in organisation.name.casefold():
        return f"{organisation.name} ({country})"
    return organisation.name


def organisations(request: HttpRequest) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return login_redirect(request)
    queryset = Organisation.objects.order_by("name", "pk").only("pk", "name", "country")
    kinds = [k for k in request.GET.getlist("kind") if k in OrganisationKind.values]
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    return lookup_page(request, queryset, "organisations", _text)
