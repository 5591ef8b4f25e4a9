"""The plannable missions lookup behind the new-run form's searchable select
(``SearchableSelectMultiple("plannable_missions")``, lib/widgets.py): draft, planned and
scheduled missions with expert slots (``problem.plannable_missions``), searched by reference
or title, 20 a page. Secretariat coordinators only, as every planner page."""

from __future__ import annotations

from django.http import HttpResponseBase
from django.views.decorators.http import require_GET

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.lib.widgets import lookup_page
from renfort.missions.models import Mission
from renfort.planning.forms import mission_label
from renfort.planning.problem import plannable_missions


def _text(mission: Mission) -> str:
    return mission_label(mission)


@role_required(Role.SECRETARIAT_COORDINATOR)
@require_GET
def plannable(request: AuthedRequest) -> HttpResponseBase:
    queryset = plannable_missions().order_by("start", "window_start", "reference", "pk")
    return lookup_page(request, queryset, "plannable_missions", _text)
