"""The experts lookup behind ``SearchableSelect("experts")`` (lib/widgets.py).

The experts are those ``experts_visible_to`` lets the user see (secretariat and regional
coordinator: the pool or their region's; member focal point: their own administration's).
The payload holds a name and the home administration, never an e-mail or other personal
data. ``?active=1`` leaves out experts no longer active; ``?no_login=1`` those who have a
login (the People page's expert invitation).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase

from renfort.accounts.models import User
from renfort.accounts.permissions import login_redirect
from renfort.lib.widgets import lookup_page
from renfort.roster.models import Expert
from renfort.roster.selectors import experts_visible_to


def _text(expert: Expert) -> str:
    return f"{expert.first_name} {expert.last_name} ({expert.home_administration.name})"


def experts(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return login_redirect(request)
    queryset = (
        experts_visible_to(user)
        .select_related("home_administration")
        .only("pk", "first_name", "last_name", "home_administration__name")
        .order_by("last_name", "first_name", "pk")
    )
    if request.GET.get("active") == "1":
        queryset = queryset.filter(active=True)
    if request.GET.get("no_login") == "1":
        queryset = queryset.filter(user__isnull=True)
    return lookup_page(request, queryset, "experts", _text)
