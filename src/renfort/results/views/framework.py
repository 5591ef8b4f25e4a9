"""The results framework's pages: the objectives (list, page, the secretariat's forms), their
indicators (page, the secretariat's forms) and the values recorded for them.

Each view checks the role (``role_required``: 403; experts read no objective), then reads
through ``results.framework_selectors`` (another party's objective or indicator: 404), calls
one service and renders. Recording a value is offered to the secretariat and to a member
focal point of an administration the objective serves; anyone else who may read the page
gets 403 on the form's address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.agreements.selectors import agreements_visible_to
from renfort.assistance.selectors import requests_visible_to
from renfort.lib.forms import add_service_error
from renfort.lib.http import is_htmx
from renfort.missions.selectors import missions_visible_to
from renfort.results import services
from renfort.results.forms_framework import (
    ActualForm,
    IndicatorForm,
    ObjectiveFilterForm,
    ObjectiveForm,
    references_text,
)
from renfort.results.framework_selectors import (
    FRAMEWORK_ROLES,
    SECRETARIAT,
    filter_objectives,
    indicator_for_user,
    objective_for_user,
    objective_rows,
    objectives_visible_to,
)
from renfort.results.indicator_cards import card, with_actuals
from renfort.results.models import Indicator, Objective

PAGE_SIZE = 25
INDICATORS_PER_PAGE = 10
# Links of each kind shown on an objective's page (the form takes at most 50).
LINKS_SHOWN = 25
RECORDERS = (SECRETARIAT, Role.MEMBER_FOCAL_POINT)
INDICATOR_FIELDS = (
    "name",
    "unit",
    "direction",
    "baseline",
    "target",
    "baseline_date",
    "target_date",
)


def _page(request: AuthedRequest, items: Any, size: int = PAGE_SIZE) -> Any:
    return Paginator(items, size).get_page(request.GET.get("page"))


# --- objectives -------------------------------------------------------------------------------


@role_required(*FRAMEWORK_ROLES)
@require_safe
def objective_list(request: AuthedRequest) -> HttpResponse:
    """The objectives the user may read, strategic first, filtered by title, level, linked
    agreement or member administration; 25 a page."""
    form = ObjectiveFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    objectives = filter_objectives(
        objectives_visible_to(request.user),
        **{k: data.get(k) or "" for k in ("q", "level", "agreement", "member")},
    )
    page = _page(request, objective_rows(objectives))
    template = "results/framework/objective_list.html"
    if is_htmx(request):
        template += "#objective-table"
    context = {
        "form": form,
        "page": page,
        "filtered": any(data.values()),
        "is_secretariat": request.user.role == SECRETARIAT,
    }
    return render(request, template, context)


def _objective_saved(
    request: AuthedRequest, form: ObjectiveForm, objective: Objective | None
) -> Objective | None:
    """Create or update the objective from the valid form; a refusal goes on the form."""
    values = {
        k: form.cleaned_data[k]
        for k in ("title", "level", "description", "requests", "missions", "agreements")
    }
    try:
        if objective is None:
            return services.objective_create(**values)
        return services.objective_update(objective=objective, **values)
    except ValidationError as exc:
        add_service_error(form, exc)
    return None


def _objective_form(request: AuthedRequest, objective: Objective | None) -> HttpResponseBase:
    initial: dict[str, Any] = {}
    if objective is not None:
        initial = {
            "title": objective.title,
            "level": objective.level,
            "description": objective.description,
            "requests": references_text(objective.requests.all()),
            "missions": references_text(objective.missions.all()),
            "agreements": references_text(objective.agreements.all()),
        }
    form = ObjectiveForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        saved = _objective_saved(request, form, objective)
        if saved is not None:
            if objective is None:
                done = _("Objective “%(title)s” created.") % {"title": saved.title}
            else:
                done = _("Objective saved.")
            messages.success(request, done)
            return redirect("results:objective_detail", pk=saved.pk)
    return render(
        request, "results/framework/objective_form.html", {"form": form, "objective": objective}
    )


@role_required(SECRETARIAT)
@require_http_methods(["GET", "HEAD", "POST"])
def objective_create(request: AuthedRequest) -> HttpResponseBase:
    return _objective_form(request, None)


@role_required(SECRETARIAT)
@require_http_methods(["GET", "HEAD", "POST"])
def objective_edit(request: AuthedRequest, pk: int) -> HttpResponseBase:
    return _objective_form(request, objective_for_user(request.user, pk))


@dataclass(frozen=True)
class Links:
    """The objective's links of one kind the reader may open (the first ``LINKS_SHOWN``),
    how many of those there are, and how many concern parties the reader does not see."""

    shown: list[Any]
    visible: int
    hidden: int

    @property
    def more(self) -> int:
        return self.visible - len(self.shown)


def _links(linked: QuerySet[Any], visible: QuerySet[Any] | None) -> Links:
    mine = linked if visible is None else linked.filter(pk__in=visible.values("pk"))
    shown = list(mine.order_by("reference")[:LINKS_SHOWN])
    count = len(shown) if len(shown) < LINKS_SHOWN else mine.count()
    total = count if visible is None else linked.count()
    return Links(shown, count, total - count)


def _objective_links(request: AuthedRequest, objective: Objective) -> dict[str, Links]:
    everything = request.user.role == SECRETARIAT

    def scope(qs: QuerySet[Any]) -> QuerySet[Any] | None:
        return None if everything else qs

    return {
        "requests": _links(objective.requests.all(), scope(requests_visible_to(request.user))),
        "missions": _links(objective.missions.all(), scope(missions_visible_to(request.user))),
        "agreements": _links(
            objective.agreements.all(), scope(agreements_visible_to(request.user))
        ),
    }


@role_required(*FRAMEWORK_ROLES)
@require_safe
def objective_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An objective: what it is linked to (what the reader may open), and its indicators with
    their progress, chart and latest values, ten a page."""
    objective = objective_for_user(request.user, pk)
    indicators = with_actuals(objective.indicators.order_by("name", "pk"))
    page = _page(request, indicators, INDICATORS_PER_PAGE)
    context = {
        "objective": objective,
        "links": _objective_links(request, objective),
        "page": page,
        "cards": [card(i) for i in page.object_list],
        "may_record": services.may_record_actuals(objective=objective, by=request.user),
        "is_secretariat": request.user.role == SECRETARIAT,
    }
    return render(request, "results/framework/objective_detail.html", context)


# --- indicators -------------------------------------------------------------------------------


def _indicator_form(
    request: AuthedRequest, objective: Objective, indicator: Indicator | None
) -> HttpResponseBase:
    initial: dict[str, Any] = {}
    if indicator is not None:
        initial = {f: getattr(indicator, f) for f in INDICATOR_FIELDS}
    form = IndicatorForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            if indicator is None:
                saved = services.indicator_create(objective=objective, **form.cleaned_data)
            else:
                saved = services.indicator_update(indicator=indicator, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Indicator “%(name)s” saved.") % {"name": saved.name})
            return redirect("results:indicator_detail", pk=saved.pk)
    context = {"form": form, "objective": objective, "indicator": indicator}
    return render(request, "results/framework/indicator_form.html", context)


@role_required(SECRETARIAT)
@require_http_methods(["GET", "HEAD", "POST"])
def indicator_create(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """A new indicator of the objective ``pk``."""
    return _indicator_form(request, objective_for_user(request.user, pk), None)


@role_required(SECRETARIAT)
@require_http_methods(["GET", "HEAD", "POST"])
def indicator_edit(request: AuthedRequest, pk: int) -> HttpResponseBase:
    indicator = indicator_for_user(request.user, pk)
    return _indicator_form(request, indicator.objective, indicator)


def render_indicator(
    request: AuthedRequest, indicator: Indicator, form: ActualForm | None = None
) -> HttpResponse:
    """The indicator's page; a refused value passes its bound form."""
    objective = indicator.objective
    may_record = services.may_record_actuals(objective=objective, by=request.user)
    fetched = with_actuals(Indicator.objects.filter(pk=indicator.pk).select_related("objective"))
    shown = card(fetched.get(), listed=0)
    actuals = indicator.actuals.select_related("recorded_by").order_by("-period_start")
    context = {
        "indicator": shown.indicator,
        "objective": objective,
        "card": shown,
        "page": _page(request, actuals),
        "form": (form or ActualForm()) if may_record else None,
        "is_secretariat": request.user.role == SECRETARIAT,
    }
    return render(request, "results/framework/indicator_detail.html", context)


@role_required(*FRAMEWORK_ROLES)
@require_safe
def indicator_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An indicator: its progress in words and percent, its chart, every value recorded (25 a
    page) and, for those who may, the form to record a value."""
    return render_indicator(request, indicator_for_user(request.user, pk))


@role_required(*RECORDERS)
@require_POST
def actual_record(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Record (or correct) the indicator's value for a period."""
    indicator = indicator_for_user(request.user, pk)
    if not services.may_record_actuals(objective=indicator.objective, by=request.user):
        raise PermissionDenied
    form = ActualForm(request.POST)
    if form.is_valid():
        try:
            services.indicator_actual_record(
                indicator=indicator, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc, {"by": "value"})
        else:
            messages.success(
                request,
                _("The value of “%(name)s” is recorded.") % {"name": indicator.name},
            )
            return redirect("results:indicator_detail", pk=indicator.pk)
    return render_indicator(request, indicator, form)
