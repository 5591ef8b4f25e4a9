"""Plain factory helpers for tests (and scripts): small, explicit, keyword arguments.

They write straight to the ORM so that a test can build any state, including states the
services would refuse; tests of the services' rules call the services themselves.

Topics come from the seed migration: pass topic codes ("risk_management", "aeo", ...).
Default dates are next year's, so they never fall in the past and stay in one calendar year.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from renfort.accounts.models import Organisation, OrganisationKind, Region, Role, User
from renfort.agreements.models import Agreement, AgreementKind, AgreementParty, PartyRole
from renfort.assistance.models import Level, Request, RequestStatus
from renfort.missions.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    DistinctCountries,
    Mission,
    MissionStatus,
    MissionType,
    Slot,
    SlotRequirement,
)
from renfort.missions.terms import terms_of
from renfort.missions.terms_models import TermsConfirmation
from renfort.roster.models import (
    Category,
    Expert,
    ReleaseStatus,
    Skill,
    Topic,
    Unavailability,
)

PASSWORD = "pw"
_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def next_year(month: int = 3, day: int = 2) -> datetime.date:
    """A date next year: safely in the future and away from a year boundary by default."""
    return datetime.date(datetime.date.today().year + 1, month, day)


def topic(code: str) -> Topic:
    """A seeded topic by code (created if a test database lacks the seed)."""
    obj, _ = Topic.objects.get_or_create(code=code, defaults={"name": code.replace("_", " ")})
    return obj


# --- organisations and users -------------------------------------------------------------


def make_organisation(
    *,
    name: str | None = None,
    kind: str = OrganisationKind.MEMBER_ADMINISTRATION,
    country: str = "",
    region: str = "",
    languages: Sequence[str] = ("en",),
    lends_experts: bool = False,
    short_name: str = "",
) -> Organisation:
    return Organisation.objects.create(
        name=name or f"Organisation {_n()}",
        short_name=short_name,
        kind=kind,
        country=country,
        region=region,
        languages=list(languages),
        lends_experts=lends_experts,
    )


def make_member(
    country: str = "SN",
    region: str = Region.WEST_CENTRAL_AFRICA,
    *,
    name: str | None = None,
    languages: Sequence[str] = ("fr",),
    lends_experts: bool = True,
) -> Organisation:
    """The member administration of ``country`` (one per country: returns it if it exists)."""
    existing = Organisation.objects.filter(
        kind=OrganisationKind.MEMBER_ADMINISTRATION, country=country
    ).first()
    if existing is not None:
        return existing
    return make_organisation(
        name=name or f"Customs administration of {country}",
        short_name=country,
        kind=OrganisationKind.MEMBER_ADMINISTRATION,
        country=country,
        region=region,
        languages=languages,
        lends_experts=lends_experts,
    )


def make_secretariat() -> Organisation:
    existing = Organisation.objects.filter(kind=OrganisationKind.SECRETARIAT).first()
    if existing is not None:
        return existing
    return make_organisation(
        name="Secretariat",
        short_name="SEC",
        kind=OrganisationKind.SECRETARIAT,
        country="BE",
        languages=("en", "fr"),
    )


def make_donor(*, name: str | None = None, country: str = "SE") -> Organisation:
    return make_organisation(
        name=name or f"Donor agency {_n()}",
        kind=OrganisationKind.DONOR_AGENCY,
        country=country,
        languages=("en",),
    )


def make_regional_office(region: str = Region.WEST_CENTRAL_AFRICA) -> Organisation:
    return make_organisation(
        name=f"Regional office {region} {_n()}",
        kind=OrganisationKind.REGIONAL_OFFICE,
        region=region,
        languages=("en", "fr"),
    )


def make_user(
    role: str,
    organisation: Organisation | None,
    *,
    username: str | None = None,
    password: str = PASSWORD,
    email: str | None = None,
    first_name: str = "",
    last_name: str = "",
    language: str = "en",
) -> User:
    """A user of ``organisation`` with ``role``; password ``pw`` unless given."""
    username = username or f"{role}{_n()}"
    return User.objects.create_user(
        username,
        email=email if email is not None else f"{username}@example.org",
        password=password,
        organisation=organisation,
        role=role,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )


# --- experts ------------------------------------------------------------------------------


def make_expert(
    *,
    home_administration: Organisation | None = None,
    first_name: str = "Ana",
    last_name: str | None = None,
    categories: Sequence[str] = (Category.TECHNICAL_OPERATIONAL_EXPERT,),
    languages: Sequence[str] = ("en", "fr"),
    skills: Mapping[str, int] | None = None,
    released_days_per_year: int = 30,
    release_status: str = ReleaseStatus.GRANTED,
    active: bool = True,
    user: User | None = None,
    email: str | None = None,
    unavailable: Iterable[tuple[datetime.date, datetime.date]] = (),
) -> Expert:
    """An expert; by default lent by France, technical expert, en+fr, risk management 3."""
    home = home_administration or make_member("FR", Region.EUROPE, languages=("fr",))
    last = last_name or f"Expert{_n()}"
    expert = Expert.objects.create(
        user=user,
        home_administration=home,
        first_name=first_name,
        last_name=last,
        email=email if email is not None else f"{first_name}.{last}@example.org".lower(),
        categories=list(categories),
        languages=list(languages),
        released_days_per_year=released_days_per_year,
        release_status=release_status,
        active=active,
    )
    for code, level in (skills if skills is not None else {"risk_management": 3}).items():
        Skill.objects.create(expert=expert, topic=topic(code), level=level)
    for start, end in unavailable:
        Unavailability.objects.create(expert=expert, start=start, end=end)
    return expert


# --- requests, missions, slots, assignments ------------------------------------------------


def make_request(
    *,
    administrations: Sequence[Organisation] | None = None,
    focal_point: User | None = None,
    topics: Sequence[str] = ("risk_management",),
    level: str = Level.OPERATIONAL,
    status: str = RequestStatus.ACCEPTED,
    preferred_start: datetime.date | None = None,
    preferred_end: datetime.date | None = None,
    language: str = "fr",
    priority: int = 3,
    title: str | None = None,
    needs: str = "Train front-line officers.",
    reference: str | None = None,
) -> Request:
    """A request (accepted by default) of ``administrations`` (default: Senegal)."""
    admins = list(administrations) if administrations else [make_member()]
    if focal_point is None:
        focal_point = User.objects.filter(
            role=Role.MEMBER_FOCAL_POINT, organisation=admins[0]
        ).first() or make_user(Role.MEMBER_FOCAL_POINT, admins[0])
    start = preferred_start or next_year(3, 1)
    n = _n()
    req = Request.objects.create(
        reference=reference or f"R-T{n:05d}",
        title=title or f"Request {n}",
        focal_point=focal_point,
        level=level,
        needs=needs,
        preferred_start=start,
        preferred_end=preferred_end or start + datetime.timedelta(days=90),
        language=language,
        priority=priority,
        status=status,
    )
    req.administrations.set(admins)
    req.topics.set([topic(c) for c in topics])
    return req


SlotArg = tuple[str, Mapping[str, int]]


def make_mission(
    *,
    requests: Sequence[Request] | None = None,
    beneficiaries: Sequence[Organisation] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    window: tuple[datetime.date, datetime.date, int] | None = None,
    language: str = "fr",
    level: str = Level.OPERATIONAL,
    type: str = MissionType.TRAINING,
    status: str = MissionStatus.DRAFT,
    slots: Sequence[SlotArg] = ((Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2}),),
    distinct_countries: str = DistinctCountries.PREFERRED,
    priority: int = 3,
    title: str | None = None,
    reference: str | None = None,
    location: str = "",
) -> Mission:
    """A mission with slots ``[(category, {topic code: level}), ...]``.

    Dates: ``start``/``end`` (default next year 2-6 March) or ``window=(from, to, days)`` (then
    no dates unless given too). Requests default to one accepted request of the beneficiaries.
    """
    reqs = list(requests) if requests is not None else []
    if not reqs:
        reqs = [make_request(administrations=beneficiaries)]
    if beneficiaries is None:
        seen: dict[int, Organisation] = {}
        for r in reqs:
            for org in r.administrations.all():
                seen[org.pk] = org
        beneficiaries = list(seen.values())
    if window is None and start is None:
        start = next_year(3, 2)
        end = end or start + datetime.timedelta(days=4)
    elif start is not None and end is None:
        end = start + datetime.timedelta(days=4)
    n = _n()
    mission = Mission.objects.create(
        reference=reference or f"M-T{n:05d}",
        title=title or f"Mission {n}",
        type=type,
        level=level,
        start=start,
        end=end,
        window_start=window[0] if window else None,
        window_end=window[1] if window else None,
        duration_days=window[2] if window else None,
        language=language,
        location=location,
        priority=priority,
        distinct_countries=distinct_countries,
        status=status,
    )
    mission.requests.set(reqs)
    mission.beneficiaries.set(beneficiaries)
    for category, requirements in slots:
        make_slot(mission, category, requirements)
    return mission


def make_slot(
    mission: Mission,
    category: str = Category.TECHNICAL_OPERATIONAL_EXPERT,
    requirements: Mapping[str, int] | None = None,
) -> Slot:
    last = mission.slots.order_by("-position").values_list("position", flat=True).first()
    slot = Slot.objects.create(mission=mission, category=category, position=(last or 0) + 1)
    for code, level in (requirements or {}).items():
        SlotRequirement.objects.create(slot=slot, topic=topic(code), level=level)
    return slot


def make_assignment(
    slot: Slot,
    expert: Expert,
    *,
    status: str = AssignmentStatus.PROPOSED,
    source: str = AssignmentSource.MANUAL,
    release_status: str = ReleaseStatus.PENDING,
    pinned: bool = False,
    busy: bool = False,
) -> Assignment:
    """An assignment written directly (no rule checks: use the services for those).

    Its busy range stays empty, so any state can be built, double bookings included; with
    ``busy=True`` it holds the range the services would give it, and on PostgreSQL the
    database refuses a double booking as it does for them.
    """
    assignment = Assignment(
        slot=slot,
        expert=expert,
        status=status,
        source=source,
        release_status=release_status,
        pinned=pinned,
    )
    if busy:
        assignment.refresh_busy_range()
    assignment.save(force_insert=True)
    return assignment


def make_agreement(
    *,
    parties: Sequence[tuple[Organisation, str]],
    kind: str = AgreementKind.BILATERAL,
    missions: Sequence[Mission] = (),
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    budget: Decimal | int = 10000,
    currency: str = "EUR",
    reference: str | None = None,
    title: str | None = None,
) -> Agreement:
    n = _n()
    agreement = Agreement.objects.create(
        reference=reference or f"A-T{n:05d}",
        title=title or f"Agreement {n}",
        kind=kind,
        start=start or next_year(1, 1),
        end=end or next_year(12, 31),
        budget=Decimal(budget),
        currency=currency,
    )
    for org, role in parties:
        AgreementParty.objects.create(agreement=agreement, organisation=org, role=role)
    agreement.missions.set(missions)
    return agreement


# --- personas -------------------------------------------------------------------------------


@dataclass
class Personas:
    """One user per role, plus an outsider, and the organisations they belong to.

    - ``admin_a``: Senegal (West & Central Africa), the beneficiary; ``member`` is its focal point.
    - ``regional_office``: the West & Central Africa office; ``regional`` coordinates it.
    - ``admin_b``: France (Europe), lends ``expert`` whose login is ``expert_user``;
      ``lender`` is France's member focal point (decides releases).
    - ``donor_agency``: ``donor`` is its focal point.
    - ``admin_c``: Kenya (East & Southern Africa); ``outsider`` is its member focal point.
    """

    secretariat_org: Organisation
    regional_office: Organisation
    admin_a: Organisation
    admin_b: Organisation
    admin_c: Organisation
    donor_agency: Organisation
    secretariat: User
    regional: User
    member: User
    lender: User
    donor: User
    expert_user: User
    outsider: User
    expert: Expert

    def users(self) -> dict[str, User]:
        return {
            "secretariat": self.secretariat,
            "regional": self.regional,
            "member": self.member,
            "donor": self.donor,
            "expert_user": self.expert_user,
            "outsider": self.outsider,
        }


def make_personas() -> Personas:
    """Create the personas (usernames are their role names; password ``pw``)."""
    secretariat_org = make_secretariat()
    regional_office = make_organisation(
        name="Regional Office for Capacity Building, West & Central Africa",
        short_name="ROCB WCA",
        kind=OrganisationKind.REGIONAL_OFFICE,
        country="CI",
        region=Region.WEST_CENTRAL_AFRICA,
        languages=("fr", "en"),
    )
    admin_a = make_member(
        "SN", Region.WEST_CENTRAL_AFRICA, name="Senegal Customs", languages=("fr",)
    )
    admin_b = make_member("FR", Region.EUROPE, name="French Customs", languages=("fr",))
    admin_c = make_member(
        "KE", Region.EAST_SOUTHERN_AFRICA, name="Kenya Revenue Authority", languages=("en", "sw")
    )
    donor_agency = make_organisation(
        name="Nordic Development Agency",
        short_name="NDA",
        kind=OrganisationKind.DONOR_AGENCY,
        country="SE",
        languages=("en",),
    )
    expert_user = make_user(
        Role.EXPERT, admin_b, username="expert", first_name="Ana", last_name="Lima"
    )
    expert = make_expert(
        home_administration=admin_b,
        first_name="Ana",
        last_name="Lima",
        categories=(Category.TECHNICAL_OPERATIONAL_EXPERT, Category.SPECIALIZED_TRAINER),
        languages=("fr", "en"),
        skills={"risk_management": 3, "aeo": 2},
        user=expert_user,
        email="ana.lima@example.org",
    )
    return Personas(
        secretariat_org=secretariat_org,
        regional_office=regional_office,
        admin_a=admin_a,
        admin_b=admin_b,
        admin_c=admin_c,
        donor_agency=donor_agency,
        secretariat=make_user(
            Role.SECRETARIAT_COORDINATOR, secretariat_org, username="secretariat"
        ),
        regional=make_user(Role.REGIONAL_COORDINATOR, regional_office, username="regional"),
        member=make_user(Role.MEMBER_FOCAL_POINT, admin_a, username="member"),
        lender=make_user(Role.MEMBER_FOCAL_POINT, admin_b, username="lender"),
        donor=make_user(Role.DONOR_FOCAL_POINT, donor_agency, username="donor"),
        expert_user=expert_user,
        outsider=make_user(Role.MEMBER_FOCAL_POINT, admin_c, username="outsider"),
        expert=expert,
    )


def persona_mission(p: Personas, **kwargs: Any) -> Mission:
    """A mission for Senegal (answering an accepted request of ``p.member``), funded by the
    donor agency, so every persona but the outsider (and the uninvited expert) can see it."""
    if "requests" not in kwargs:
        kwargs["requests"] = [make_request(administrations=[p.admin_a], focal_point=p.member)]
    mission = make_mission(**kwargs)
    make_agreement(
        parties=[(p.donor_agency, PartyRole.FUNDING), (p.admin_a, PartyRole.BENEFICIARY)],
        missions=[mission],
    )
    return mission


def confirm_terms(mission: Mission) -> list[TermsConfirmation]:
    """Every beneficiary administration confirms the mission's terms of reference as they are
    now (what their member focal points do on the terms page), so that the mission can be
    confirmed; written straight to the ORM, like the other helpers."""
    terms = terms_of(mission)
    return [
        TermsConfirmation.objects.get_or_create(
            mission=mission, organisation=org, fingerprint=terms.fingerprint
        )[0]
        for org in terms.beneficiaries
    ]


def row_counts() -> dict[str, int]:
    """Rows in every Renfort table, to check that a refused change wrote nothing."""
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts", "roster", "assistance", "missions", "agreements", "results"}
    }


def table_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables services write, to check a refusal changed nothing at all."""
    return {
        "requests": list(Request.objects.order_by("pk").values_list("pk", "status")),
        "missions": list(
            Mission.objects.order_by("pk").values_list(
                "pk", "status", "start", "end", "straddle_weekend"
            )
        ),
        "assignments": list(
            Assignment.objects.order_by("pk").values_list(
                "pk", "status", "release_status", "pinned", "expert_id"
            )
        ),
        "experts": list(
            Expert.objects.order_by("pk").values_list("pk", "release_status", "email", "languages")
        ),
        **{label: [(n,)] for label, n in row_counts().items()},
    }


def refuses(
    call: Callable[..., object], *, text: str, field: str | None = None, **kwargs: Any
) -> ValidationError:
    """``call(**kwargs)`` is refused with ``text`` in its messages (in those keyed by ``field``
    when given, so a form shows them next to that field) and changes no table."""
    before = table_state()
    try:
        call(**kwargs)
    except ValidationError as exc:
        error = exc
    else:
        raise AssertionError(f"{getattr(call, '__name__', call)} accepted {sorted(kwargs)}")
    if field is None:
        messages = error.messages
    else:
        assert hasattr(error, "error_dict"), f"not keyed by field: {error.messages}"
        messages = error.message_dict.get(field, [])
    assert text in " | ".join(messages), (field, error.messages)
    assert table_state() == before, "a refused call changed the tables"
    return error


def sign_in(client: Any, user: User) -> None:
    """``client.force_login(user)`` past the second step of signing in: for tests of pages
    that sign in an account enrolled in two-factor sign-in (the demo's secretariat)."""
    from renfort.accounts.two_factor import SESSION_KEY

    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = ""
    session.save()
