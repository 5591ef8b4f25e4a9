"""Build the demo data set through the services, deterministically.

The same seed and the same day give the same data. Dates hang on an *anchor*, the first
Monday of next month: delivered work lies before it, the plan of missions over the year after
it. Every write that has a service goes through it (so histories, notifications and rules are
those of real use); organisations and users, which have no service, are created directly.

The plan of each staffed mission is drawn *expert first*: the builder picks an expert who is
free, speaks the language and comes from outside the beneficiaries, then derives the slot's
requirements from that expert's skills, so every assignment keeps every rule — and
``missions.rules.assignment_problems`` has the last word before each one is written.
"""

from __future__ import annotations

import datetime
import itertools
import random
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test.utils import override_settings

from renfort.accounts.models import Organisation, OrganisationKind, Region, Role, User
from renfort.accounts.services import notification_send
from renfort.assistance import services as assistance
from renfort.assistance.models import Level, Request, RequestStatus
from renfort.lib.demo import texts
from renfort.lib.demo.countries import (
    COUNTRIES,
    LENDERS,
    REGIONAL_OFFICES,
    SMALL,
    Country,
)
from renfort.lib.demo.names import NAMES
from renfort.lib.demo.timeline import Timeline
from renfort.lib.links import link_to
from renfort.missions.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    DistinctCountries,
    Mission,
    MissionStatus,
    MissionType,
)
from renfort.missions.rules import days_per_year, travel_days
from renfort.roster import services as roster
from renfort.roster.models import (
    AccreditationStatus,
    Category,
    Expert,
    ReleaseStatus,
    Topic,
)

DEFAULT_SEED = 2027

CAT_ADVISER = Category.MODERNIZATION_ADVISER.value
CAT_TECHNICAL = Category.TECHNICAL_OPERATIONAL_EXPERT.value
CAT_TRAINER = Category.SPECIALIZED_TRAINER.value

MS = MissionStatus
AS = AssignmentStatus
# The topic level a slot asks for, by the mission's level.
LEVEL_CAP: dict[str, int] = {Level.STRATEGIC: 3, Level.TACTICAL: 3, Level.OPERATIONAL: 2}


@dataclass(frozen=True)
class DemoSize:
    experts: int
    requests: int
    # Missions by final status, in the order they are built.
    missions: dict[str, int]
    # Of the missions, how many are regional (several beneficiaries).
    regional: int


FULL = DemoSize(
    experts=300,
    requests=120,
    missions={
        MS.CLOSED: 10,
        MS.REPORTED: 6,
        MS.DELIVERED: 8,
        MS.CONFIRMED: 14,
        MS.SCHEDULED: 12,
        MS.PLANNED: 12,
        MS.DRAFT: 10,  # and two more by the accept path (build_open_requests)
        MS.CANCELLED: 6,
    },
    regional=9,
)
SMALL_SIZE = DemoSize(
    experts=70,
    requests=34,
    missions={
        MS.CLOSED: 2,
        MS.REPORTED: 2,
        MS.DELIVERED: 2,
        MS.CONFIRMED: 4,
        MS.SCHEDULED: 4,
        MS.PLANNED: 3,
        MS.DRAFT: 2,
        MS.CANCELLED: 2,
    },
    regional=3,
)


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str
    who: str


@dataclass
class DemoResult:
    logins: list[Login]
    counts: dict[str, int]
    anchor: datetime.date
    seconds: float = 0.0


# The demo's fixed cast (country codes): who the logins are.
DEMO_MEMBER = "KE"  # member focal point: requests in progress, lends experts
DEMO_LENDER = "FR"  # a lending administration's focal point (and home of the demo expert)
DEMO_REGION = Region.EAST_SOUTHERN_AFRICA.value  # the regional coordinator's region
DONORS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Nordic Trade Facilitation Fund", "NTFF", "SE", ("en",)),
    ("Atlantic Customs Partnership Facility", "ACPF", "CA", ("en", "fr")),
    ("Gulf Border Modernisation Trust", "GBMT", "AE", ("ar", "en")),
    ("Pacific Connectivity Fund", "PCF", "AU", ("en",)),
)


# The demo logins: username -> (what the login is, password). Printed at the end of a build.
DEMO_LOGINS: dict[str, tuple[str, str]] = {
    "admin": ("Django superuser (and secretariat coordinator)", "admin-demo"),
    "secretariat": ("Secretariat coordinator", "secretariat-demo"),
    "regional": ("Regional coordinator", "regional-demo"),
    "member": ("Member focal point (asks for help, lends experts)", "member-demo"),
    "lender": ("Member focal point (lending administration)", "lender-demo"),
    "donor": ("Donor focal point", "donor-demo"),
    "expert": ("Expert", "expert-demo"),
}


def existing_logins() -> list[Login]:
    """The demo logins present in the database (passwords as the demo set them)."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=list(DEMO_LOGINS)).select_related("organisation")
    }
    return [
        Login(
            label,
            username,
            password,
            f"{users[username].get_full_name()}, {users[username].organisation}",
        )
        for username, (label, password) in DEMO_LOGINS.items()
        if username in users
    ]


def anchor_for(today: datetime.date) -> datetime.date:
    """The first Monday of the month after ``today``."""
    first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first + datetime.timedelta(days=(7 - first.weekday()) % 7)


def ascii_slug(text: str) -> str:
    """``Élodie O'Neill`` → ``elodie-oneill``: for usernames and e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = "".join(c if c.isalnum() else "-" for c in plain.lower())
    return "-".join(part for part in out.split("-") if part)


def build_demo(
    *, seed: int = DEFAULT_SEED, small: bool = False, today: datetime.date | None = None
) -> DemoResult:
    """Build the whole demo in one transaction and return the logins and counts.

    Mail is not sent while building (notifications still fill the in-app inboxes).
    """
    started = time.perf_counter()
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        builder = _Builder(seed=seed, small=small, today=today or datetime.date.today())
        result = builder.build()
    result.seconds = time.perf_counter() - started
    return result


@dataclass
class _ExpertInfo:
    """What the builder knows of an expert while planning (mirrors the database)."""

    expert: Expert
    country: str
    categories: list[str]
    languages: list[str]
    skills: dict[str, int]
    released: int
    release: str
    unavailable: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    booked: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    days: Counter[int] = field(default_factory=Counter)


@dataclass
class _SlotPlan:
    category: str
    requirements: dict[str, int]
    expert: _ExpertInfo | None = None
    # The assignment's final status ("" = left unstaffed).
    outcome: str = ""
    release: str = ReleaseStatus.PENDING
    # Experts invited first who declined, or whose release was refused ("declined"/"refused").
    before: list[tuple[_ExpertInfo, str]] = field(default_factory=list)


@dataclass
class _MissionPlan:
    status: str
    beneficiaries: list[Organisation]
    language: str
    topics: list[str]
    level: str
    type: str
    start: datetime.date | None
    end: datetime.date | None
    window: tuple[datetime.date, datetime.date, int] | None
    slots: list[_SlotPlan]
    priority: int
    distinct: str
    # One regional request naming every beneficiary, or one request per beneficiary.
    one_regional_request: bool = False
    # A cancelled mission: cancelled once planned (invitations withdrawn) or as a draft.
    cancel_after_planning: bool = False


class _Builder:
    def __init__(self, *, seed: int, small: bool, today: datetime.date) -> None:
        self.rng = random.Random(seed)
        self.small = small
        self.size = SMALL_SIZE if small else FULL
        self.today = today
        self.anchor = anchor_for(today)
        self.travel = travel_days()
        self.topics: dict[str, Topic] = {t.code: t for t in Topic.objects.all()}
        self.countries: list[Country] = [c for c in COUNTRIES if not small or c.code in SMALL]
        self.country_of: dict[str, Country] = {c.code: c for c in self.countries}
        self.members: dict[str, Organisation] = {}
        self.focal: dict[str, User] = {}
        self.offices: dict[str, Organisation] = {}
        self.donors: dict[str, Organisation] = {}
        self.experts: list[_ExpertInfo] = []
        self.missions: list[tuple[_MissionPlan, Mission]] = []
        self.logins: list[Login] = []
        self.used_names: set[tuple[str, str]] = set()
        self.demo_expert: _ExpertInfo | None = None
        self.regional_turn = itertools.count()

    # --- helpers ----------------------------------------------------------------------------

    def day(self, offset: int) -> datetime.date:
        return self.anchor + datetime.timedelta(days=offset)

    def pick_name(self, culture: str) -> tuple[str, str]:
        firsts, lasts = NAMES[culture]
        for _ in range(50):
            name = (self.rng.choice(firsts), self.rng.choice(lasts))
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        return name

    def phrase(self, topic: str) -> str:
        return texts.TOPIC_PHRASES.get(topic, self.topics[topic].name)

    # --- the whole build ------------------------------------------------------------------

    def build(self) -> DemoResult:
        self.build_organisations()
        self.build_users()
        self.build_experts()
        plans = self.plan_missions()
        for plan in plans:
            self.missions.append((plan, self.realise(plan)))
        self.build_open_requests()
        self.build_agreements()
        self.build_results()
        self.build_planner_run()
        Timeline(rng=self.rng, today=self.today).apply(Mission.objects.order_by("reference"))
        self.welcome()
        order = list(DEMO_LOGINS)
        logins = sorted(self.logins, key=lambda x: order.index(x.username))
        return DemoResult(logins=logins, counts=self.counts(), anchor=self.anchor)

    # --- organisations and users ------------------------------------------------------------

    def build_organisations(self) -> None:
        self.secretariat = Organisation.objects.create(
            name="Secretariat – Capacity Building Directorate",
            short_name="Secretariat",
            kind=OrganisationKind.SECRETARIAT,
            country="BE",
            languages=["en", "fr"],
        )
        for region, (name, short, languages) in REGIONAL_OFFICES.items():
            self.offices[region] = Organisation.objects.create(
                name=name,
                short_name=short,
                kind=OrganisationKind.REGIONAL_OFFICE,
                region=region,
                languages=list(languages),
            )
        for c in self.countries:
            self.members[c.code] = Organisation.objects.create(
                name=c.administration_name,
                short_name=c.code,
                kind=OrganisationKind.MEMBER_ADMINISTRATION,
                country=c.code,
                region=c.region,
                languages=list(c.languages),
                lends_experts=c.code in LENDERS,
            )
        for name, short, country, languages in DONORS:
            self.donors[short] = Organisation.objects.create(
                name=name,
                short_name=short,
                kind=OrganisationKind.DONOR_AGENCY,
                country=country,
                languages=list(languages),
            )

    def _user(
        self,
        username: str,
        role: str,
        organisation: Organisation,
        culture: str,
        *,
        name: tuple[str, str] | None = None,
        password: str | None = None,
        label: str = "",
        language: str = "en",
        superuser: bool = False,
    ) -> User:
        first, last = name or self.pick_name(culture)
        domain = f"{ascii_slug(organisation.short_name or organisation.name)}.example.org"
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}",
            organisation=organisation,
            role=role,
            language=language,
            is_staff=superuser,
            is_superuser=superuser,
        )
        # Only the demo logins get a usable password (hashing is the slow part of a build).
        user.password = make_password(password) if password else make_password(None)
        user.save()
        if password:
            self.logins.append(
                Login(
                    label or str(Role(role).label),
                    username,
                    password,
                    f"{user.get_full_name()}, {organisation.name}",
                )
            )
        return user

    def build_users(self) -> None:
        sec = self.secretariat
        self._user(
            "admin",
            Role.SECRETARIAT_COORDINATOR,
            sec,
            "french",
            password=DEMO_LOGINS["admin"][1],
            label=DEMO_LOGINS["admin"][0],
            superuser=True,
        )
        self.coordinator = self._user(
            "secretariat",
            Role.SECRETARIAT_COORDINATOR,
            sec,
            "anglo",
            password=DEMO_LOGINS["secretariat"][1],
        )
        self._user("secretariat-fr", Role.SECRETARIAT_COORDINATOR, sec, "french", language="fr")
        region_culture = {
            "AMC": "hispanic",
            "EUR": "german",
            "APA": "japanese",
            "MENA": "arab",
            "ESA": "east_african",
            "WCA": "west_african_fr",
        }
        for region, office in self.offices.items():
            if region == DEMO_REGION:
                self._user(
                    "regional",
                    Role.REGIONAL_COORDINATOR,
                    office,
                    region_culture[region],
                    password=DEMO_LOGINS["regional"][1],
                    label=DEMO_LOGINS["regional"][0],
                )
            else:
                self._user(
                    f"regional-{region.lower()}",
                    Role.REGIONAL_COORDINATOR,
                    office,
                    region_culture[region],
                )
        for code, org in self.members.items():
            c = self.country_of[code]
            language = "fr" if c.languages[0] == "fr" else "en"
            if code == DEMO_MEMBER:
                self.focal[code] = self._user(
                    "member",
                    Role.MEMBER_FOCAL_POINT,
                    org,
                    c.culture,
                    password=DEMO_LOGINS["member"][1],
                    label=DEMO_LOGINS["member"][0],
                )
            elif code == DEMO_LENDER:
                self.focal[code] = self._user(
                    "lender",
                    Role.MEMBER_FOCAL_POINT,
                    org,
                    c.culture,
                    password=DEMO_LOGINS["lender"][1],
                    label=DEMO_LOGINS["lender"][0],
                )
            else:
                self.focal[code] = self._user(
                    f"focal-{code.lower()}",
                    Role.MEMBER_FOCAL_POINT,
                    org,
                    c.culture,
                    language=language,
                )
        for short, org in self.donors.items():
            if short == "NTFF":
                self.donor_user = self._user(
                    "donor",
                    Role.DONOR_FOCAL_POINT,
                    org,
                    "nordic",
                    password=DEMO_LOGINS["donor"][1],
                    label=DEMO_LOGINS["donor"][0],
                )
            else:
                self._user(f"donor-{short.lower()}", Role.DONOR_FOCAL_POINT, org, "anglo")

    # --- the expert pool --------------------------------------------------------------------

    def build_experts(self) -> None:
        lenders = sorted(code for code in self.members if code in LENDERS)
        big = {
            "US",
            "FR",
            "DE",
            "GB",
            "CN",
            "JP",
            "BR",
            "ZA",
            "KE",
            "IN",
            "AU",
            "CA",
            "MA",
            "NG",
            "SN",
            "ES",
            "MX",
            "EG",
            "RU",
            "KZ",
            "CI",
            "CM",
        }
        per = dict.fromkeys(lenders, 2)
        per[DEMO_MEMBER] = per.get(DEMO_MEMBER, 0) + 3
        weights = [3 if code in big else 1 for code in lenders]
        # The demo expert is one of France's.
        remaining = self.size.experts - sum(per.values()) - 1
        for code in self.rng.choices(lenders, weights=weights, k=max(remaining, 0)):
            per[code] += 1
        self.demo_expert = self._demo_expert()
        for code in lenders:
            for n in range(per[code]):
                # The demo focal points each have a newly nominated expert to release.
                newcomer = code in {DEMO_MEMBER, DEMO_LENDER} and n == per[code] - 1
                self._expert(self.country_of[code], newcomer=newcomer)

    def _languages_for(self, c: Country) -> list[str]:
        languages = [c.languages[0]]
        for extra in c.languages[1:]:
            if self.rng.random() < 0.6:
                languages.append(extra)
        if "en" not in languages and self.rng.random() < 0.7:
            languages.append("en")
        if self.rng.random() < 0.15:
            languages.append(self.rng.choice(["fr", "es", "pt", "ar", "ru"]))
        return list(dict.fromkeys(languages))

    def _skills(self, categories: list[str]) -> dict[str, int]:
        family = self.rng.choice(texts.TOPIC_FAMILIES)
        chosen = self.rng.sample(family, k=self.rng.randint(2, min(4, len(family))))
        skills: dict[str, int] = {}
        for i, code in enumerate(chosen):
            skills[code] = self.rng.choice([3, 4, 4]) if i == 0 else self.rng.choice([2, 3, 3])
        for code in self.rng.sample(sorted(self.topics), k=self.rng.randint(0, 2)):
            skills.setdefault(code, self.rng.choice([1, 2]))
        if CAT_ADVISER in categories and self.rng.random() < 0.6:
            skills["strategic_planning"] = max(skills.get("strategic_planning", 0), 3)
        return skills

    def _categories(self) -> list[str]:
        first = self.rng.choices([CAT_ADVISER, CAT_TECHNICAL, CAT_TRAINER], [3, 5, 3])[0]
        cats = [first]
        if self.rng.random() < 0.35:
            cats.append(self.rng.choice([c for c in Category.values if c != first]))
        return cats

    def _expert(self, c: Country, *, newcomer: bool = False) -> _ExpertInfo:
        """An expert of ``c``; a ``newcomer`` waits for the home administration to release
        them to the pool."""
        first, last = self.pick_name(c.culture)
        categories = self._categories()
        skills = self._skills(categories)
        info = self._create_expert(
            c,
            first,
            last,
            categories=categories,
            languages=self._languages_for(c),
            skills=skills,
            released=self.rng.choice([20, 25, 30, 30, 40, 45, 60]),
            release=ReleaseStatus.PENDING
            if newcomer
            else self.rng.choices(
                [ReleaseStatus.GRANTED, ReleaseStatus.PENDING, ReleaseStatus.REFUSED],
                [88, 8, 4],
            )[0],
        )
        self._accreditations(info)
        self._unavailability(info)
        return info

    def _create_expert(
        self,
        c: Country,
        first: str,
        last: str,
        *,
        categories: list[str],
        languages: list[str],
        skills: dict[str, int],
        released: int,
        release: str,
        user: User | None = None,
    ) -> _ExpertInfo:
        home = self.members[c.code]
        expert = roster.expert_create(
            home_administration=home,
            first_name=first,
            last_name=last,
            email=f"{ascii_slug(first)}.{ascii_slug(last)}@{c.code.lower()}-customs.example.org",
            categories=categories,
            languages=languages,
            released_days_per_year=released,
            skills=skills,
            user=user,
        )
        if release != ReleaseStatus.PENDING:
            roster.expert_release_set(expert=expert, status=release, by=self.focal[c.code])
        info = _ExpertInfo(
            expert=expert,
            country=c.code,
            categories=categories,
            languages=languages,
            skills=skills,
            released=released,
            release=release,
        )
        self.experts.append(info)
        return info

    def _accreditations(self, info: _ExpertInfo) -> None:
        top = sorted(info.skills.items(), key=lambda kv: (-kv[1], kv[0]))
        for code, level in top[: self.rng.randint(0, 2)]:
            if level < 2:
                continue
            granted = self.day(-self.rng.randint(60, 1800))
            if level == 4 and self.rng.random() < 0.5:
                status, expires = AccreditationStatus.RECOGNISED, None
            elif level >= 3:
                status = AccreditationStatus.ACCREDITED
                expires = granted + datetime.timedelta(days=3 * 365)
            else:
                status = AccreditationStatus.PRE_ACCREDITED
                expires = granted + datetime.timedelta(days=365)
            roster.accreditation_add(
                expert=info.expert,
                topic=self.topics[code],
                status=status,
                granted_on=granted,
                expires_on=expires,
            )

    def _unavailability(self, info: _ExpertInfo) -> None:
        count = self.rng.choices([0, 1, 2], [50, 35, 15])[0]
        for _ in range(count):
            start = self.day(self.rng.randint(-200, 330))
            end = start + datetime.timedelta(days=self.rng.randint(4, 24))
            self._add_unavailable(info, start, end, self.rng.choice(texts.UNAVAILABLE_REASONS))

    def _add_unavailable(
        self, info: _ExpertInfo, start: datetime.date, end: datetime.date, reason: str
    ) -> None:
        roster.unavailability_add(expert=info.expert, start=start, end=end, reason=reason)
        info.unavailable.append((start, end))

    def _demo_expert(self) -> _ExpertInfo:
        c = self.country_of[DEMO_LENDER]
        first, last = "Élodie", "Fontaine"
        self.used_names.add((first, last))
        user = self._user(
            "expert",
            Role.EXPERT,
            self.members[DEMO_LENDER],
            "french",
            name=(first, last),
            password=DEMO_LOGINS["expert"][1],
            label=DEMO_LOGINS["expert"][0],
        )
        info = self._create_expert(
            c,
            first,
            last,
            categories=[CAT_TECHNICAL, CAT_TRAINER],
            languages=["fr", "en", "es"],
            skills={
                "risk_management": 4,
                "aeo": 3,
                "safe": 3,
                "data_analytics": 3,
                "enforcement": 2,
                "post_clearance_audit": 2,
            },
            released=80,
            release=ReleaseStatus.GRANTED,
            user=user,
        )
        roster.accreditation_add(
            expert=info.expert,
            topic=self.topics["risk_management"],
            status=AccreditationStatus.RECOGNISED,
            granted_on=self.day(-900),
        )
        roster.accreditation_add(
            expert=info.expert,
            topic=self.topics["aeo"],
            status=AccreditationStatus.ACCREDITED,
            granted_on=self.day(-400),
            expires_on=self.day(-400 + 3 * 365),
        )
        # Summer leave; the builder plans her missions around it.
        self._add_unavailable(info, self.day(220), self.day(240), "Annual leave")
        return info

    # --- planning the missions (pure Python, before anything is written) --------------------

    def plan_missions(self) -> list[_MissionPlan]:
        plans: list[_MissionPlan] = []
        statuses: list[str] = []
        for status, n in self.size.missions.items():
            statuses += [status] * n
        regional_at = set(
            self.rng.sample(range(len(statuses)), k=min(self.size.regional, len(statuses)))
        )
        # Beneficiaries chosen, by status: the demo member's workflows in progress, and the
        # beneficiaries of the bilateral and tripartite agreements.
        forced: dict[str, list[str]] = {
            MS.CLOSED: [DEMO_MEMBER],
            MS.CONFIRMED: [DEMO_MEMBER, "MA"],
            MS.SCHEDULED: [DEMO_MEMBER, "JO"],
            MS.DRAFT: [DEMO_MEMBER],
            MS.DELIVERED: ["MA"],
        }
        # Missions where the demo expert must be: two confirmed, two invitations, one done.
        demo_expert_wanted: dict[str, int] = {
            MS.CONFIRMED: 2,
            MS.SCHEDULED: 1,
            MS.PLANNED: 1,
            MS.CLOSED: 1,
        }
        # Missions where experts of the demo member wait for their release.
        demo_member_pending: dict[str, int] = {MS.SCHEDULED: 2, MS.PLANNED: 1}
        seen: set[str] = set()
        for i, status in enumerate(statuses):
            # One role per mission: the demo member as beneficiary, or the demo expert, or an
            # expert of the demo member (who cannot serve their own administration).
            queue = forced.get(status, [])
            beneficiary = queue.pop(0) if queue else None
            force_member = beneficiary is not None
            want_expert = not force_member and demo_expert_wanted.get(status, 0) > 0
            want_member_expert = (
                not force_member and not want_expert and demo_member_pending.get(status, 0) > 0
            )
            plan = None
            for attempt in range(60):
                relax = attempt >= 30  # give up a wish rather than fail the build
                plan = self._plan_one(
                    status,
                    regional=i in regional_at,
                    beneficiary=None if relax else beneficiary,
                    want_demo_expert=want_expert and not relax,
                    want_member_expert=want_member_expert and not relax,
                    want_staffed=status == MS.DRAFT and MS.DRAFT not in seen,
                )
                if plan is not None:
                    break
            if plan is None:
                raise RuntimeError(f"demo: could not plan a {status} mission")
            self._book(plan)
            if any(s.expert is self.demo_expert for s in plan.slots):
                demo_expert_wanted[status] = demo_expert_wanted.get(status, 0) - 1
            if any(
                s.expert is not None
                and s.expert.country == DEMO_MEMBER
                and s.release == ReleaseStatus.PENDING
                for s in plan.slots
            ):
                demo_member_pending[status] = demo_member_pending.get(status, 0) - 1
            plans.append(plan)
            seen.add(status)
        return plans

    def _dates_for(self, status: str) -> tuple[int, int]:
        """The range of start offsets (days from the anchor) for a mission in ``status``."""
        ranges: dict[str, tuple[int, int]] = {
            MS.CLOSED: (-330, -120),
            MS.REPORTED: (-200, -75),
            MS.DELIVERED: (-110, -50),
            MS.CONFIRMED: (3, 150),
            MS.SCHEDULED: (20, 240),
            MS.PLANNED: (45, 320),
            MS.DRAFT: (60, 340),
            MS.CANCELLED: (10, 300),
        }
        return ranges[status]

    def _beneficiaries(self, regional: bool, beneficiary: str | None) -> list[Organisation]:
        if beneficiary is not None and beneficiary in self.members:
            first = self.members[beneficiary]
        else:
            first = self.members[self.rng.choice(sorted(self.members))]
        if not regional:
            return [first]
        same_region = sorted(
            code
            for code, org in self.members.items()
            if org.region == first.region
            and org.pk != first.pk
            and set(org.languages) & set(first.languages)
        )
        others = self.rng.sample(same_region, k=min(len(same_region), self.rng.randint(1, 3)))
        return [first, *(self.members[code] for code in others)]

    def _plan_one(
        self,
        status: str,
        *,
        regional: bool,
        beneficiary: str | None,
        want_demo_expert: bool,
        want_member_expert: bool,
        want_staffed: bool = False,
    ) -> _MissionPlan | None:
        rng = self.rng
        beneficiaries = self._beneficiaries(regional, beneficiary)
        common = set(beneficiaries[0].languages)
        for b in beneficiaries[1:]:
            common &= set(b.languages)
        languages = [lang for lang in beneficiaries[0].languages if lang in common]
        language = languages[0] if rng.random() < 0.7 or len(languages) == 1 else languages[1]
        level = rng.choices([Level.STRATEGIC, Level.TACTICAL, Level.OPERATIONAL], [25, 40, 35])[0]
        mission_type = rng.choice(
            {
                Level.STRATEGIC: [MissionType.DIAGNOSTIC, MissionType.ADVISORY],
                Level.TACTICAL: [
                    MissionType.ADVISORY,
                    MissionType.WORKSHOP,
                    MissionType.FOLLOW_UP,
                ],
                Level.OPERATIONAL: [
                    MissionType.TRAINING,
                    MissionType.WORKSHOP,
                    MissionType.REMOTE,
                ],
            }[level]
        )
        if regional:
            mission_type = rng.choice([MissionType.WORKSHOP, MissionType.TRAINING])
        duration = {
            MissionType.DIAGNOSTIC: 5,
            MissionType.ADVISORY: 5,
            MissionType.WORKSHOP: 4,
            MissionType.TRAINING: 5,
            MissionType.FOLLOW_UP: 3,
            MissionType.REMOTE: 3,
        }[mission_type]
        lo, hi = self._dates_for(status)
        start = self.day(rng.randint(lo, hi))
        start -= datetime.timedelta(days=start.weekday())  # missions start on a Monday
        end = start + datetime.timedelta(days=duration - 1)
        n_slots = rng.choices([1, 2, 3], [50, 38, 12])[0]
        if regional:
            n_slots = max(n_slots, 2)
        distinct = rng.choices(
            [DistinctCountries.PREFERRED, DistinctCountries.REQUIRED, DistinctCountries.NONE],
            [70, 20, 10],
        )[0]
        excluded = {b.country for b in beneficiaries}

        staffed = status in {
            MS.SCHEDULED,
            MS.CONFIRMED,
            MS.DELIVERED,
            MS.REPORTED,
            MS.CLOSED,
        }
        # Draft and planned missions: some staffed in part (proposals, invitations), some
        # on a window, undated, for the planner.
        windowed = False
        if status in {MS.DRAFT, MS.PLANNED}:
            staffed = rng.random() < (0.35 if status == MS.DRAFT else 0.6)
            windowed = not staffed
        if status == MS.CANCELLED:
            staffed = rng.random() < 0.5
        if want_demo_expert or want_member_expert or want_staffed:
            staffed, windowed = True, False

        slots: list[_SlotPlan] = []
        topics: list[str] = []
        taken: set[int] = set()
        countries: set[str] = set()
        for position in range(n_slots):
            category = self._slot_category(level, position)
            if not staffed:
                requirements = self._unstaffed_requirements(topics, level)
                topics += [t for t in requirements if t not in topics]
                slots.append(_SlotPlan(category, requirements))
                continue
            prefer: Callable[[_ExpertInfo], bool] | None = None
            if position == 0 and want_demo_expert:
                prefer = lambda e: e is self.demo_expert  # noqa: E731
            elif position == 0 and want_member_expert:
                prefer = lambda e: e.country == DEMO_MEMBER  # noqa: E731
            pick = self._pick_expert(
                category=category,
                language=language,
                excluded=excluded,
                start=start,
                end=end,
                taken=taken,
                countries=countries if distinct == DistinctCountries.REQUIRED else set(),
                avoid_countries=countries,
                topics=topics,
                prefer=prefer,
            )
            if pick is None:
                if position == 0:
                    return None
                break
            if prefer is not None and not prefer(pick):
                return None
            requirements = self._requirements_from(pick, topics, level)
            topics += [t for t in requirements if t not in topics]
            taken.add(pick.expert.pk)
            countries.add(pick.country)
            slots.append(_SlotPlan(category, requirements, expert=pick))
        if not topics:
            return None
        self._outcomes(status, slots, language, excluded, start, end, taken)
        if want_member_expert and not any(
            s.expert is not None
            and s.expert.country == DEMO_MEMBER
            and s.release == ReleaseStatus.PENDING
            for s in slots
        ):
            return None
        window = None
        if windowed:
            w_start = start - datetime.timedelta(days=rng.choice([14, 21, 28]))
            window = (
                w_start,
                w_start + datetime.timedelta(days=rng.choice([42, 56, 70])),
                duration,
            )
        return _MissionPlan(
            status=status,
            beneficiaries=beneficiaries,
            language=language,
            topics=topics,
            level=level,
            type=mission_type,
            start=None if windowed else start,
            end=None if windowed else end,
            window=window,
            slots=slots,
            priority=rng.choices([1, 2, 3, 4, 5], [5, 15, 40, 25, 15])[0],
            distinct=distinct,
            # Regional missions alternate: one regional request, or national ones together.
            one_regional_request=len(beneficiaries) > 1 and next(self.regional_turn) % 2 == 0,
            cancel_after_planning=status == MS.CANCELLED and staffed and rng.random() < 0.6,
        )

    def _slot_category(self, level: str, position: int) -> str:
        if position == 0:
            first: dict[str, str] = {
                Level.STRATEGIC: CAT_ADVISER,
                Level.TACTICAL: self.rng.choice([CAT_TECHNICAL, CAT_ADVISER]),
                Level.OPERATIONAL: self.rng.choice([CAT_TRAINER, CAT_TECHNICAL]),
            }
            return first[level]
        return self.rng.choice([CAT_TECHNICAL, CAT_TRAINER, CAT_TECHNICAL])

    def _unstaffed_requirements(self, topics: list[str], level: str) -> dict[str, int]:
        base = LEVEL_CAP[level]
        if topics and self.rng.random() < 0.6:
            code = self.rng.choice(topics)
        else:
            code = self.rng.choice(self.rng.choice(texts.TOPIC_FAMILIES))
        requirements = {code: min(4, base + (1 if self.rng.random() < 0.2 else 0))}
        if self.rng.random() < 0.25:
            other = self.rng.choice(sorted(self.topics))
            requirements.setdefault(other, 2)
        return requirements

    def _requirements_from(
        self, info: _ExpertInfo, topics: list[str], level: str
    ) -> dict[str, int]:
        """Slot requirements the picked expert meets: a shared mission topic when they have
        one, else their best topic; levels capped by what the mission's level asks."""
        cap = LEVEL_CAP[level]
        shared = [t for t in topics if info.skills.get(t, 0) >= 2]
        best = sorted(info.skills.items(), key=lambda kv: (-kv[1], kv[0]))
        code = shared[0] if shared else best[0][0]
        requirements = {code: min(cap, info.skills[code])}
        seconds = [(t, lv) for t, lv in best if t != code and lv >= 2]
        if seconds and self.rng.random() < 0.35:
            t, lv = seconds[0]
            requirements[t] = min(2, lv)
        return requirements

    def _free(self, info: _ExpertInfo, start: datetime.date, end: datetime.date) -> bool:
        gap = datetime.timedelta(days=self.travel)
        for s, e in info.unavailable:
            if s <= end and e >= start:
                return False
        for s, e in info.booked:
            if s <= end + gap and e >= start - gap:
                return False
        return all(
            info.days[year] + days <= info.released
            for year, days in days_per_year(start, end).items()
        )

    def _fits(
        self,
        info: _ExpertInfo,
        *,
        category: str,
        language: str,
        excluded: set[str],
        start: datetime.date,
        end: datetime.date,
        taken: set[int],
        countries: set[str],
        requirements: dict[str, int] | None = None,
    ) -> bool:
        return (
            info.release != ReleaseStatus.REFUSED
            and category in info.categories
            and language in info.languages
            and info.country not in excluded
            and info.country not in countries
            and info.expert.pk not in taken
            and all(info.skills.get(t, 0) >= lv for t, lv in (requirements or {}).items())
            and self._free(info, start, end)
        )

    def _pick_expert(
        self,
        *,
        category: str,
        language: str,
        excluded: set[str],
        start: datetime.date,
        end: datetime.date,
        taken: set[int],
        countries: set[str],
        avoid_countries: set[str],
        topics: list[str],
        prefer: Callable[[_ExpertInfo], bool] | None,
        requirements: dict[str, int] | None = None,
    ) -> _ExpertInfo | None:
        candidates = [
            e
            for e in self.experts
            if self._fits(
                e,
                category=category,
                language=language,
                excluded=excluded,
                start=start,
                end=end,
                taken=taken,
                countries=countries,
                requirements=requirements,
            )
        ]
        if not candidates:
            return None
        if prefer is not None:
            preferred = [e for e in candidates if prefer(e)]
            if preferred:
                return self.rng.choice(preferred)

        # Spread the work: favour experts with few days booked, sharing a mission topic and
        # from another country than the experts already picked.
        def score(e: _ExpertInfo) -> float:
            fit = sum(1 for t in topics if e.skills.get(t, 0) >= 2)
            other_country = 0 if e.country in avoid_countries else 1
            return fit * 3 + other_country * 2 - sum(e.days.values()) / 15 + self.rng.random()

        candidates.sort(key=score, reverse=True)
        return candidates[0] if self.rng.random() < 0.6 else self.rng.choice(candidates[:6])

    def _outcomes(
        self,
        status: str,
        slots: list[_SlotPlan],
        language: str,
        excluded: set[str],
        start: datetime.date,
        end: datetime.date,
        taken: set[int],
    ) -> None:
        """Decide each staffed slot's final assignment status and release."""
        rng = self.rng
        for i, slot in enumerate(slots):
            if slot.expert is None:
                continue
            if status in {MS.DELIVERED, MS.REPORTED, MS.CLOSED}:
                slot.outcome, slot.release = AS.COMPLETED, ReleaseStatus.GRANTED
            elif status == MS.CONFIRMED:
                slot.outcome, slot.release = AS.CONFIRMED, ReleaseStatus.GRANTED
            elif status == MS.SCHEDULED:
                slot.outcome = rng.choice([AS.INVITED, AS.ACCEPTED, AS.ACCEPTED])
                slot.release = rng.choice([ReleaseStatus.PENDING, ReleaseStatus.GRANTED])
            elif status == MS.PLANNED:
                slot.outcome = rng.choice([AS.PROPOSED, AS.INVITED, AS.INVITED])
                slot.release = ReleaseStatus.PENDING
            elif status == MS.DRAFT:
                slot.outcome, slot.release = AS.PROPOSED, ReleaseStatus.PENDING
            elif status == MS.CANCELLED:
                slot.outcome = AS.WITHDRAWN
            if slot.expert is self.demo_expert and status in {MS.SCHEDULED, MS.PLANNED}:
                slot.outcome = AS.INVITED
                if status in {MS.SCHEDULED, MS.PLANNED}:
                    slot.release = ReleaseStatus.PENDING
            if status == MS.SCHEDULED and DEMO_MEMBER in excluded:
                # The demo member's scheduled mission is ready for it to confirm the dates.
                slot.outcome, slot.release = AS.ACCEPTED, ReleaseStatus.GRANTED
            if slot.expert.country == DEMO_MEMBER and status in {MS.SCHEDULED, MS.PLANNED}:
                slot.outcome = rng.choice([AS.INVITED, AS.ACCEPTED])
                slot.release = ReleaseStatus.PENDING
            # Now and then, someone was invited first and declined, or their home
            # administration refused to release them.
            if status in {MS.PLANNED, MS.SCHEDULED, MS.CONFIRMED, MS.CLOSED} and i == 0:
                roll = rng.random()
                if roll < 0.35:
                    first = self._pick_expert(
                        category=slot.category,
                        language=language,
                        excluded=excluded,
                        start=start,
                        end=end,
                        taken=taken,
                        countries=set(),
                        avoid_countries=set(),
                        topics=list(slot.requirements),
                        prefer=None,
                        requirements=slot.requirements,
                    )
                    if first is not None and first is not self.demo_expert:
                        slot.before.append((first, "declined" if roll < 0.25 else "refused"))
                        taken.add(first.expert.pk)

    def _book(self, plan: _MissionPlan) -> None:
        if plan.start is None or plan.end is None or plan.status == MS.CANCELLED:
            return
        for slot in plan.slots:
            if slot.expert is not None:
                slot.expert.booked.append((plan.start, plan.end))
                for year, days in days_per_year(plan.start, plan.end).items():
                    slot.expert.days[year] += days

    # --- writing a planned mission through the services -------------------------------------

    def _request_text(self, topics: Sequence[str]) -> tuple[str, str]:
        phrase = self.phrase(topics[0])
        title = self.rng.choice(texts.REQUEST_TITLES).format(phrase=phrase)
        opening = self.rng.choice(texts.NEEDS_OPENINGS).format(phrase=phrase)
        ask = self.rng.choice(texts.NEEDS_ASKS)
        extra = ""
        if len(topics) > 1:
            extra = f" The work also touches on {self.phrase(topics[1])}."
        return title[:1].upper() + title[1:], f"{opening}.{extra} {ask}"

    def submit_request(
        self,
        *,
        administrations: Sequence[Organisation],
        topics: Sequence[str],
        level: str,
        language: str,
        start: datetime.date,
        end: datetime.date,
        priority: int,
    ) -> Request:
        title, needs = self._request_text(topics)
        return assistance.request_submit(
            by=self.focal[administrations[0].country],
            title=title,
            administrations=list(administrations),
            topics=[self.topics[t] for t in topics],
            level=level,
            needs=needs,
            preferred_start=start,
            preferred_end=end,
            language=language,
            priority=priority,
        )

    def accept(self, request: Request) -> Request:
        if self.rng.random() < 0.6:
            request = assistance.request_transition(
                request=request,
                to_status=RequestStatus.UNDER_APPRAISAL,
                by=self.coordinator,
                note="Appraisal started: checking needs against the regional plan.",
            )
        return assistance.request_transition(
            request=request,
            to_status=RequestStatus.ACCEPTED,
            by=self.coordinator,
            note="Accepted: the needs are clear and fit the capacity-building strategy.",
        )

    def realise(self, plan: _MissionPlan) -> Mission:
        from renfort.missions import services as missions

        first_day = plan.start or (plan.window[0] if plan.window else self.anchor)
        last_day = plan.end or (plan.window[1] if plan.window else self.anchor)
        pref_start = first_day - datetime.timedelta(days=self.rng.randint(0, 21))
        pref_end = last_day + datetime.timedelta(days=self.rng.randint(14, 45))
        if plan.one_regional_request or len(plan.beneficiaries) == 1:
            groups = [plan.beneficiaries]
        else:
            groups = [[b] for b in plan.beneficiaries]
        requests = [
            self.accept(
                self.submit_request(
                    administrations=group,
                    topics=plan.topics,
                    level=plan.level,
                    language=plan.language,
                    start=pref_start,
                    end=pref_end,
                    priority=plan.priority,
                )
            )
            for group in groups
        ]
        phrase = self.phrase(plan.topics[0])
        scope = "Regional" if len(plan.beneficiaries) > 1 else "National"
        title = texts.MISSION_TITLES[plan.type].format(phrase=phrase, scope=scope)
        host = self.country_of[plan.beneficiaries[0].country]
        window = plan.window
        mission = missions.mission_create(
            requests=requests,
            title=title[:1].upper() + title[1:],
            type=plan.type,
            level=plan.level,
            language=plan.language,
            beneficiaries=plan.beneficiaries,
            start=plan.start,
            end=plan.end,
            window_start=window[0] if window else None,
            window_end=window[1] if window else None,
            duration_days=window[2] if window else None,
            location="Remote" if plan.type == MissionType.REMOTE else host.name,
            objectives=f"Strengthen {phrase} at "
            + ", ".join(b.name for b in plan.beneficiaries)
            + ". "
            + self.rng.choice(texts.MISSION_OUTPUTS),
            priority=plan.priority,
            distinct_countries=plan.distinct,
            slots=[missions.SlotSpec(s.category, s.requirements) for s in plan.slots],
            by=self.coordinator,
        )
        self._staff_and_advance(plan, mission)
        return mission

    def _move(self, mission: Mission, to_status: str, note: str = "") -> Mission:
        from renfort.missions import services as missions

        return missions.mission_transition(
            mission=mission, to_status=to_status, by=self.coordinator, note=note
        )

    def _assign(
        self,
        slot_plan: _SlotPlan,
        slot: Any,
        info: _ExpertInfo,
        *,
        planner: bool,
        invite: bool = False,
    ) -> Assignment:
        from renfort.missions import services as missions

        explanation = ""
        fit = None
        if planner:
            levels = ", ".join(
                f"{self.topics[t].name} {info.skills.get(t, 0)} (needs {lv})"
                for t, lv in slot_plan.requirements.items()
            )
            explanation = (
                f"{Category(slot_plan.category).label}; {levels}; speaks the mission language; "
                f"from {self.country_of[info.country].name}, outside the beneficiaries; free on "
                f"the mission dates with a travel day either side."
            )
            fit = round(
                sum(min(1.0, info.skills.get(t, 0) / 4) for t in slot_plan.requirements)
                / max(len(slot_plan.requirements), 1),
                2,
            )
        # assignment_create checks every rule (missions.rules.assignment_problems); the plan
        # was drawn to keep them, so a refusal here is a bug in the builder.
        try:
            return missions.assignment_create(
                slot=slot,
                expert=info.expert,
                source=AssignmentSource.PLANNER if planner else AssignmentSource.MANUAL,
                status=AS.INVITED if invite else AS.PROPOSED,
                fit=fit,
                explanation=explanation,
                by=self.coordinator,
            )
        except ValidationError as exc:
            raise RuntimeError(f"demo: assignment refused for {slot}: {exc.messages}") from exc

    def _staff_and_advance(self, plan: _MissionPlan, mission: Mission) -> None:
        """Staff the mission and walk it to its planned status, as users would."""
        from renfort.missions import services as missions

        status = plan.status
        pairs = list(zip(plan.slots, mission.slots.order_by("position"), strict=True))
        planner_made = self.rng.random() < 0.6
        if status == MS.DRAFT or (status == MS.CANCELLED and not plan.cancel_after_planning):
            # Still a draft: the planner (or a coordinator) has proposed experts.
            for slot_plan, slot in pairs:
                if slot_plan.expert is not None:
                    self._assign(slot_plan, slot, slot_plan.expert, planner=True)
            if status == MS.CANCELLED:
                self._cancel(mission)
            return
        mission = self._move(mission, MS.PLANNED)
        live: list[tuple[_SlotPlan, Assignment]] = []
        for slot_plan, slot in pairs:
            for info, how in slot_plan.before:
                first = self._assign(slot_plan, slot, info, planner=planner_made, invite=True)
                if how == "declined":
                    missions.assignment_transition(
                        assignment=first,
                        to_status=AS.DECLINED,
                        by=info.expert.user or self.coordinator,
                        reason=self.rng.choice(texts.DECLINE_INVITATION_REASONS),
                    )
                else:
                    missions.assignment_release_decide(
                        assignment=first, granted=False, by=self.focal[info.country]
                    )
            if slot_plan.expert is not None:
                assignment = self._assign(
                    slot_plan,
                    slot,
                    slot_plan.expert,
                    planner=planner_made,
                    invite=slot_plan.outcome != AS.PROPOSED,
                )
                live.append((slot_plan, assignment))
        if status == MS.PLANNED:
            return
        if status == MS.CANCELLED:
            self._cancel(mission)
            return
        for slot_plan, assignment in live:
            if slot_plan.outcome in {AS.ACCEPTED, AS.CONFIRMED, AS.COMPLETED}:
                assignment = missions.assignment_transition(
                    assignment=assignment,
                    to_status=AS.ACCEPTED,
                    by=assignment.expert.user or self.coordinator,
                )
            if slot_plan.release == ReleaseStatus.GRANTED and slot_plan.expert is not None:
                missions.assignment_release_decide(
                    assignment=assignment, granted=True, by=self.focal[slot_plan.expert.country]
                )
        mission = self._move(mission, MS.SCHEDULED)
        if status == MS.SCHEDULED:
            return
        mission = self._move(mission, MS.CONFIRMED)
        if status == MS.CONFIRMED:
            return
        mission = self._move(mission, MS.DELIVERED)
        if status == MS.DELIVERED:
            return
        # The first report moves the mission to reported.
        mission = self._report(mission, plan)
        if status == MS.REPORTED:
            return
        self._evaluate(mission, plan)
        mission = self._move(mission, MS.CLOSED)
        for request in mission.requests.filter(status=RequestStatus.DELIVERED):
            assistance.request_transition(
                request=request,
                to_status=RequestStatus.CLOSED,
                by=self.coordinator,
                note="Closed: report received and evaluated.",
            )

    def _cancel(self, mission: Mission) -> None:
        mission = self._move(mission, MS.CANCELLED, note=self.rng.choice(texts.CANCEL_REASONS))
        if self.rng.random() < 0.5:
            for request in mission.requests.filter(status=RequestStatus.ACCEPTED):
                assistance.request_transition(
                    request=request,
                    to_status=RequestStatus.CLOSED,
                    by=self.coordinator,
                    note="Closed: the administration withdrew the need.",
                )

    def _report(self, mission: Mission, plan: _MissionPlan) -> Mission:
        from renfort.results import services as results

        author = next(s.expert for s in plan.slots if s.expert is not None)
        k = self.rng.randrange(len(texts.REPORT_SUMMARIES))
        results.mission_report_submit(
            mission=mission,
            author=author.expert,
            by=author.expert.user or self.coordinator,
            summary=texts.REPORT_SUMMARIES[k],
            outcomes=texts.REPORT_OUTCOMES[k],
            recommendations=texts.REPORT_RECOMMENDATIONS[k],
        )
        return Mission.objects.get(pk=mission.pk)

    def _evaluate(self, mission: Mission, plan: _MissionPlan) -> None:
        from renfort.results import services as results

        for b in plan.beneficiaries[:2]:
            results.evaluation_submit(
                mission=mission,
                by=self.focal[b.country],
                rating=self.rng.choice([3, 4, 4, 5, 5]),
                comments=self.rng.choice(texts.EVALUATION_COMMENTS),
            )

    # --- requests not (yet) behind a mission ------------------------------------------------

    def build_open_requests(self) -> None:
        used = Request.objects.count()
        left = max(self.size.requests - used, 6)
        # Waiting for the secretariat, declined, and accepted but not yet planned.
        statuses = (
            [RequestStatus.SUBMITTED] * max(2, left * 4 // 10)
            + [RequestStatus.UNDER_APPRAISAL] * max(2, left * 3 // 10)
            + [RequestStatus.DECLINED] * max(1, left * 2 // 10)
        )
        statuses += [RequestStatus.ACCEPTED] * max(1, left - len(statuses))
        # The demo member has one of each waiting, and a possible duplicate pair.
        member = self.members[DEMO_MEMBER]
        forced = [RequestStatus.SUBMITTED, RequestStatus.UNDER_APPRAISAL, RequestStatus.DECLINED]
        codes = sorted(self.members)
        for i, status in enumerate(statuses):
            if forced and status in forced:
                forced.remove(status)
                org = member
            else:
                org = self.members[self.rng.choice(codes)]
            c = self.country_of[org.country]
            family = self.rng.choice(texts.TOPIC_FAMILIES)
            topics = self.rng.sample(family, k=self.rng.randint(1, 2))
            start = self.day(self.rng.randint(60, 330))
            regional = i % 7 == 3
            administrations = self._beneficiaries(regional, beneficiary=None) if regional else [org]
            request = self.submit_request(
                administrations=administrations,
                topics=topics,
                level=self.rng.choice(Level.values),
                language=self.country_of[administrations[0].country].languages[0]
                if regional
                else self.rng.choice(c.languages),
                start=start,
                end=start + datetime.timedelta(days=self.rng.randint(30, 120)),
                priority=self.rng.choices([1, 2, 3, 4, 5], [5, 15, 40, 25, 15])[0],
            )
            if status == RequestStatus.SUBMITTED:
                continue
            request = assistance.request_transition(
                request=request,
                to_status=RequestStatus.UNDER_APPRAISAL,
                by=self.coordinator,
                note="Appraisal started.",
            )
            if status == RequestStatus.DECLINED:
                assistance.request_decline(
                    request=request,
                    by=self.coordinator,
                    reason=self.rng.choice(texts.DECLINE_REASONS),
                )
            elif status == RequestStatus.ACCEPTED:
                assistance.request_transition(
                    request=request,
                    to_status=RequestStatus.ACCEPTED,
                    by=self.coordinator,
                    note="Accepted; a mission will be drafted with the regional office.",
                )
        self._accept_path()
        # A possible duplicate: the demo member asks again for what an open request covers.
        open_request = (
            Request.objects.filter(
                administrations=member,
                status__in=[RequestStatus.SUBMITTED, RequestStatus.UNDER_APPRAISAL],
            )
            .order_by("reference")
            .first()
        )
        if open_request is not None:
            assistance.request_submit(
                by=self.focal[DEMO_MEMBER],
                title=f"{open_request.title} (second request)",
                administrations=[member],
                topics=list(open_request.topics.all()[:1]),
                level=open_request.level,
                needs="Our regional commands also ask for this support; please consider "
                "extending the earlier request to them.",
                preferred_start=open_request.preferred_start + datetime.timedelta(days=14),
                preferred_end=open_request.preferred_end + datetime.timedelta(days=14),
                language=open_request.language,
                priority=open_request.priority,
            )

    def _accept_path(self) -> None:
        """Draft missions made as the secretariat's accept button makes them: one from a
        national request, one merging two requests of a region (suggested slots, a window)."""
        from renfort.missions import services as missions

        def accepted(code: str, topics: list[str], language: str) -> Request:
            start = self.day(self.rng.randint(90, 200))
            request = self.submit_request(
                administrations=[self.members[code]],
                topics=topics,
                level=Level.OPERATIONAL,
                language=language,
                start=start,
                end=start + datetime.timedelta(days=60),
                priority=3,
            )
            return self.accept(request)

        missions.mission_from_requests(
            requests=[accepted("MX", ["valuation"], "es")], by=self.coordinator
        )
        pair = [accepted(code, ["transit", "rkc"], "fr") for code in ("SN", "CI")]
        missions.requests_merge(requests=pair, by=self.coordinator)

    # --- agreements -------------------------------------------------------------------------

    def build_agreements(self) -> None:
        from renfort.agreements import services as agreements
        from renfort.agreements.models import AgreementKind, PartyRole

        by_region: dict[str, list[Mission]] = defaultdict(list)
        by_member: dict[str, list[Mission]] = defaultdict(list)
        for plan, mission in self.missions:
            if plan.status == MS.CANCELLED:
                continue  # an agreement cannot fund a cancelled mission
            by_region[plan.beneficiaries[0].region].append(mission)
            for b in plan.beneficiaries:
                by_member[b.country].append(mission)
        year = self.anchor.year
        sec = self.secretariat

        def member(code: str) -> Organisation | None:
            return self.members.get(code)

        specs: list[dict[str, Any]] = [
            {
                "reference": f"AG-{year}-001",
                "title": "Trade facilitation in East & Southern Africa",
                "kind": AgreementKind.TRIPARTITE,
                "budget": Decimal("850000"),
                "currency": "EUR",
                "parties": [
                    (self.donors["NTFF"], PartyRole.FUNDING),
                    (sec, PartyRole.IMPLEMENTING),
                    (self.members[DEMO_MEMBER], PartyRole.BENEFICIARY),
                ],
                "missions": by_region[Region.EAST_SOUTHERN_AFRICA][:10],
            },
            {
                "reference": f"AG-{year}-002",
                "title": "West & Central Africa customs modernisation programme",
                "kind": AgreementKind.MULTILATERAL,
                "budget": Decimal("1200000"),
                "currency": "EUR",
                "parties": [
                    (self.donors["ACPF"], PartyRole.FUNDING),
                    (self.donors["NTFF"], PartyRole.FUNDING),
                    (sec, PartyRole.IMPLEMENTING),
                    (self.members[DEMO_LENDER], PartyRole.EXTENDING),
                    *[
                        (org, PartyRole.BENEFICIARY)
                        for org in (member("SN"), member("CI"), member("CM"))
                        if org is not None
                    ],
                ],
                "missions": by_region[Region.WEST_CENTRAL_AFRICA][:8],
            },
            {
                "reference": f"AG-{year}-003",
                "title": "French–Moroccan cooperation on risk management",
                "kind": AgreementKind.BILATERAL,
                "budget": Decimal("180000"),
                "currency": "EUR",
                "parties": [
                    (self.members[DEMO_LENDER], PartyRole.FUNDING),
                    *[(org, PartyRole.BENEFICIARY) for org in (member("MA"),) if org is not None],
                ],
                "missions": by_member["MA"][:3],
            },
            {
                "reference": f"AG-{year}-004",
                "title": "Gulf border modernisation support",
                "kind": AgreementKind.TRIPARTITE,
                "budget": Decimal("640000"),
                "currency": "USD",
                "parties": [
                    (self.donors["GBMT"], PartyRole.FUNDING),
                    (sec, PartyRole.IMPLEMENTING),
                    (self.members["JO"], PartyRole.BENEFICIARY),
                ],
                "missions": by_member["JO"][:4]
                or by_region[Region.NORTH_AFRICA_NEAR_MIDDLE_EAST][:4],
            },
            {
                "reference": f"AG-{year}-005",
                "title": "Asia Pacific connectivity and single window",
                "kind": AgreementKind.MULTILATERAL,
                "budget": Decimal("950000"),
                "currency": "AUD",
                "parties": [
                    (self.donors["PCF"], PartyRole.FUNDING),
                    *[
                        (org, PartyRole.FUNDING)
                        for org in (member("JP"), member("AU"))
                        if org is not None
                    ],
                    (self.offices[Region.ASIA_PACIFIC], PartyRole.IMPLEMENTING),
                    (sec, PartyRole.IMPLEMENTING),
                ],
                "missions": by_region[Region.ASIA_PACIFIC][:8],
            },
            {
                "reference": f"AG-{year}-006",
                "title": "Americas AEO mutual recognition roadmap",
                "kind": AgreementKind.MULTILATERAL,
                "budget": Decimal("400000"),
                "currency": "USD",
                "parties": [
                    (self.donors["ACPF"], PartyRole.FUNDING),
                    (self.offices[Region.AMERICAS_CARIBBEAN], PartyRole.IMPLEMENTING),
                    *[
                        (org, PartyRole.EXTENDING)
                        for org in (member("US"), member("BR"))
                        if org is not None
                    ],
                ],
                "missions": by_region[Region.AMERICAS_CARIBBEAN][:6],
            },
        ]
        self.agreements = []
        for spec in specs:
            funded = spec.pop("missions")
            agreement = agreements.agreement_create(
                start=self.day(-365),
                end=self.day(2 * 365),
                missions=(),
                **spec,
            )
            for mission in funded:
                agreements.agreement_fund_mission(agreement=agreement, mission=mission)
            self.agreements.append(agreement)

    # --- results ----------------------------------------------------------------------------

    def build_results(self) -> None:
        from renfort.results import services as results

        done = [m for p, m in self.missions if p.status in {MS.CLOSED, MS.REPORTED, MS.DELIVERED}]
        for i, spec in enumerate(texts.OBJECTIVE_TEXTS):
            agreement = self.agreements[spec.agreement]
            missions = list(agreement.missions.all()[:3]) or done[i : i + 2]
            objective = results.objective_create(
                title=spec.title,
                level=spec.level,
                description=f"{spec.title}, pursued under {agreement.reference} "
                f"“{agreement.title}”.",
                missions=missions,
                agreements=[agreement],
                requests=[r for m in missions for r in m.requests.all()][:3],
            )
            baseline, target = Decimal(spec.baseline), Decimal(spec.target)
            indicator = results.indicator_create(
                objective=objective,
                name=spec.indicator,
                unit=spec.unit,
                baseline=baseline,
                target=target,
                baseline_date=self.day(-365),
                target_date=self.day(2 * 365),
            )
            # A third of the way in time, about a third of the way to the target.
            places = Decimal("0.1") if spec.unit in {"%", "hours"} else Decimal("1")
            for quarter in range(3):
                start = self.day(-365 + 91 * quarter)
                share = Decimal(quarter + 1) / 9 * Decimal(self.rng.choice(["0.7", "1", "1.2"]))
                results.indicator_actual_record(
                    indicator=indicator,
                    period_start=start,
                    period_end=start + datetime.timedelta(days=90),
                    value=(baseline + (target - baseline) * share).quantize(places),
                    note="Measured by the administration's statistics unit.",
                )

    # --- the planner -----------------------------------------------------------------------

    def build_planner_run(self) -> None:
        """A finished planner run over the coming year, waiting for the secretariat's review
        (its unstaffed missions feed the pool gap analysis)."""
        from renfort.missions.planning import planner_run_create, planner_run_execute

        run = planner_run_create(
            by=self.coordinator, period_start=self.anchor, period_end=self.day(365)
        )
        planner_run_execute(run_id=run.pk)

    # --- inboxes ----------------------------------------------------------------------------

    def welcome(self) -> None:
        """A welcome for every demo login, and the news a donor and a regional coordinator
        follow (the workflow services tell members, experts and the secretariat already)."""
        users = list(User.objects.filter(username__in=[login.username for login in self.logins]))
        notification_send(
            recipients=users,
            subject="Welcome to the Renfort demo",
            body="This is demonstration data: every workflow is under way. Explore freely; "
            "`renfort demo --reset` rebuilds it.",
        )
        funded = Mission.objects.filter(
            agreements__parties__organisation=self.donors["NTFF"],
            agreements__parties__role="funding",
        ).distinct()
        for mission in funded.filter(status__in=[MS.CONFIRMED, MS.REPORTED]).order_by("reference")[
            :5
        ]:
            what = "confirmed" if mission.status == MS.CONFIRMED else "reported on"
            notification_send(
                recipients=[self.donor_user],
                subject=f"Funded mission {mission.reference} {what}",
                body=f"“{mission.title}”, a mission your agreement funds, is now {what}.",
                link=link_to("missions:mission_detail", mission.pk, fallback=""),
            )
        regional = User.objects.get(username="regional")
        waiting = Request.objects.filter(
            administrations__region=DEMO_REGION,
            status__in=[RequestStatus.SUBMITTED, RequestStatus.UNDER_APPRAISAL],
        ).distinct()
        for request in waiting.order_by("reference")[:5]:
            notification_send(
                recipients=[regional],
                subject=f"New request in your region: {request.reference}",
                body=f"“{request.title}” waits for appraisal; the secretariat may ask for "
                "your opinion.",
                link=link_to("assistance:request_detail", request.pk, fallback=""),
            )

    def counts(self) -> dict[str, int]:
        from renfort.agreements.models import Agreement
        from renfort.results.models import Evaluation, Indicator, MissionReport

        return {
            "member administrations": Organisation.objects.filter(
                kind=OrganisationKind.MEMBER_ADMINISTRATION
            ).count(),
            "lending administrations": Organisation.objects.filter(lends_experts=True).count(),
            "experts": Expert.objects.count(),
            "requests": Request.objects.count(),
            "missions": Mission.objects.count(),
            "assignments": Assignment.objects.count(),
            "agreements": Agreement.objects.count(),
            "indicators": Indicator.objects.count(),
            "mission reports": MissionReport.objects.count(),
            "evaluations": Evaluation.objects.count(),
        }
