"""Reads of the results framework that depend on who asks: objectives, their indicators and the
year's delivery plan.

- Objectives (``objectives_visible_to``): the secretariat reads all of them; a member focal
  point those linked to its administration's requests, to missions it receives, or to
  agreements it is a party to; a donor focal point those linked to agreements its
  organisation is a party to or to the missions they fund (what its results pages and IATI
  file show: ``figures.common.indicators_of``); a regional coordinator those linked to the
  requests, missions (as beneficiaries) or agreements (as parties) of its region's member
  administrations; experts none (their role is refused before any read). Another party's
  objective answers 404.
- Indicators: those of the objectives the user reads.
- Delivery plans (``delivery_plan_for_user``): the secretariat reads every year's, drafted or
  not; everyone else but experts a published plan only (404 before publication).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from renfort.accounts.models import Organisation, OrganisationKind, Role, User
from renfort.agreements.models import AgreementParty
from renfort.assistance.models import Level, Request
from renfort.missions.models import Mission
from renfort.results.models import DeliveryPlan, DeliveryPlanStatus, Indicator, Objective
from renfort.results.services.delivery_plans import EARLIEST_YEAR, LATEST_YEAR

SECRETARIAT = Role.SECRETARIAT_COORDINATOR
# Who reads the framework at all: every role but the experts (refused with 403).
FRAMEWORK_ROLES = (
    SECRETARIAT,
    Role.REGIONAL_COORDINATOR,
    Role.MEMBER_FOCAL_POINT,
    Role.DONOR_FOCAL_POINT,
)
LEVEL_ORDER = Case(
    When(level=Level.STRATEGIC, then=Value(0)),
    When(level=Level.TACTICAL, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _linked(
    requests: QuerySet[Any, Any] | None = None,
    missions: QuerySet[Any, Any] | None = None,
    agreements: QuerySet[Any, Any] | None = None,
) -> Q:
    """Objectives linked to any of the requests, missions or agreements (queries of ids)."""
    through = Objective.requests.through.objects
    q = Q(pk__in=[])
    if requests is not None:
        q |= Q(pk__in=through.filter(request_id__in=requests).values("objective_id"))
    if missions is not None:
        by_mission = Objective.missions.through.objects.filter(mission_id__in=missions)
        q |= Q(pk__in=by_mission.values("objective_id"))
    if agreements is not None:
        by_agreement = Objective.agreements.through.objects.filter(agreement_id__in=agreements)
        q |= Q(pk__in=by_agreement.values("objective_id"))
    return q


def objectives_visible_to(user: User) -> QuerySet[Objective]:
    """Objectives the user may read (see the module's docstring)."""
    qs = Objective.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == SECRETARIAT:
        return qs
    org = user.organisation
    if org is None or user.role not in FRAMEWORK_ROLES:
        return qs.none()
    if user.role == Role.MEMBER_FOCAL_POINT:
        return qs.filter(
            _linked(
                requests=Request.objects.filter(administrations=org).values("id"),
                missions=Mission.objects.filter(beneficiaries=org).values("id"),
                agreements=AgreementParty.objects.filter(organisation=org).values("agreement_id"),
            )
        )
    if user.role == Role.DONOR_FOCAL_POINT:
        parties = AgreementParty.objects.filter(organisation=org).values("agreement_id")
        funded = Mission.objects.filter(agreements__in=parties).values("id")
        return qs.filter(_linked(missions=funded, agreements=parties))
    if not org.region:  # a regional coordinator without a region reads nothing
        return qs.none()
    return qs.filter(_serving(Organisation.objects.filter(region=org.region)))


def _serving(organisations: QuerySet[Organisation]) -> Q:
    """Objectives serving any of the member administrations among ``organisations``: linked
    to their requests, to missions they receive, or to agreements they are a party to."""
    members = organisations.filter(kind=OrganisationKind.MEMBER_ADMINISTRATION).values("id")
    return _linked(
        requests=Request.objects.filter(administrations__in=members).values("id"),
        missions=Mission.objects.filter(beneficiaries__in=members).values("id"),
        agreements=AgreementParty.objects.filter(organisation__in=members).values("agreement_id"),
    )


def objective_for_user(user: User, pk: int) -> Objective:
    """The objective if the user may read it; 404 otherwise."""
    try:
        return objectives_visible_to(user).get(pk=pk)
    except Objective.DoesNotExist as exc:
        raise Http404("No such objective.") from exc


def indicator_for_user(user: User, pk: int) -> Indicator:
    """The indicator (with its objective) if the user may read its objective; 404 otherwise."""
    try:
        return (
            Indicator.objects.filter(objective__in=objectives_visible_to(user))
            .select_related("objective")
            .get(pk=pk)
        )
    except Indicator.DoesNotExist as exc:
        raise Http404("No such indicator.") from exc


def _link_count(through: QuerySet[Any]) -> Coalesce:
    rows = (
        through.filter(objective_id=OuterRef("pk"))
        .order_by()
        .values("objective_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def objective_rows(objectives: QuerySet[Objective]) -> QuerySet[Objective]:
    """Objectives as the list shows them, strategic first, with the number of their
    indicators, missions, requests and agreements (subqueries: one query a page)."""
    return objectives.annotate(
        level_order=LEVEL_ORDER,
        indicator_count=Coalesce(
            Subquery(
                Indicator.objects.filter(objective_id=OuterRef("pk"))
                .order_by()
                .values("objective_id")
                .annotate(n=Count("*"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        mission_count=_link_count(Objective.missions.through.objects.all()),
        request_count=_link_count(Objective.requests.through.objects.all()),
        agreement_count=_link_count(Objective.agreements.through.objects.all()),
    ).order_by("level_order", "title", "pk")


def filter_objectives(
    objectives: QuerySet[Objective],
    *,
    q: str = "",
    level: str = "",
    agreement: str = "",
    member: str = "",
) -> QuerySet[Objective]:
    """Objectives whose title has ``q``, of ``level``, linked to an agreement whose reference
    or title has ``agreement``, or serving a member administration whose name has ``member``
    (or whose country code it is): through its requests, missions received or agreement."""
    if q:
        objectives = objectives.filter(title__icontains=q)
    if level:
        objectives = objectives.filter(level=level)
    if agreement:
        objectives = objectives.filter(
            pk__in=Objective.agreements.through.objects.filter(
                Q(agreement__reference__icontains=agreement)
                | Q(agreement__title__icontains=agreement)
            ).values("objective_id")
        )
    if member:
        named = Organisation.objects.filter(Q(name__icontains=member) | Q(country__iexact=member))
        objectives = objectives.filter(_serving(named))
    return objectives


# --- the delivery plan ------------------------------------------------------------------------


def delivery_plans_visible_to(user: User) -> QuerySet[DeliveryPlan]:
    """Every plan for the secretariat; the published ones for every other role but experts."""
    qs = DeliveryPlan.objects.all()
    if not user.is_authenticated or not user.is_active or user.role not in FRAMEWORK_ROLES:
        return qs.none()
    if user.role == SECRETARIAT:
        return qs
    return qs.filter(status=DeliveryPlanStatus.PUBLISHED)


def delivery_plan_for_user(user: User, year: int) -> DeliveryPlan | None:
    """The plan of ``year`` as the user may read it: for the secretariat the plan or None
    (not drafted yet: the page offers to draft it); for others the published plan, else 404.
    A year outside 2000–2100 answers 404 to everyone."""
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise Http404("No such year.")
    plan = (
        delivery_plans_visible_to(user)
        .select_related("created_by", "approved_by")
        .filter(year=year)
        .first()
    )
    if plan is None and user.role != SECRETARIAT:
        raise Http404("No published delivery plan for this year.")
    return plan
