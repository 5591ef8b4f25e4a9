"""What every step of the demo build shares: its size, its fixed cast, the random draw, the
dates, the rows written so far, and the plans drawn before anything is written."""

from __future__ import annotations

import datetime
import itertools
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from renfort.accounts.models import Organisation, Region, User
from renfort.agreements.models import Agreement
from renfort.assistance.models import Level
from renfort.demo import texts
from renfort.demo.logins import Login
from renfort.demo.reference import COUNTRIES, NAMES, SMALL, Country
from renfort.missions.eligibility import Period, travel_days
from renfort.missions.models import Mission, MissionStatus
from renfort.roster.models import Category, Expert, ReleaseStatus, Topic

CAT_ADVISER = Category.MODERNIZATION_ADVISER.value
CAT_TECHNICAL = Category.TECHNICAL_OPERATIONAL_EXPERT.value
CAT_TRAINER = Category.SPECIALIZED_TRAINER.value

MS = MissionStatus
# The topic level a slot asks for, by the mission's level.
LEVEL_CAP: dict[str, int] = {Level.STRATEGIC: 3, Level.TACTICAL: 3, Level.OPERATIONAL: 2}

# The demo's fixed cast (country codes): who the logins are.
DEMO_MEMBER = "KE"  # member focal point: requests in progress, lends experts
DEMO_LENDER = "FR"  # a lending administration's focal point (and home of the demo expert)
DEMO_REGION = Region.EAST_SOUTHERN_AFRICA.value  # the regional coordinator's region


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
        MS.DRAFT: 10,  # and two more by the accept path (requests.build_open_requests)
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


def anchor_for(today: datetime.date) -> datetime.date:
    """The first Monday of the month after ``today``."""
    first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first + datetime.timedelta(days=(7 - first.weekday()) % 7)


def ascii_slug(text: str) -> str:
    """``Élodie O'Neill`` → ``elodie-oneill``: for usernames and e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = "".join(c if c.isalnum() else "-" for c in plain.lower())
    return "-".join(part for part in out.split("-") if part)


@dataclass
class ExpertInfo:
    """What the builder knows of an expert while planning (mirrors the database): what the
    rules read (``missions.eligibility``), with skills keyed by topic code."""

    expert: Expert
    country: str
    categories: list[str]
    languages: list[str]
    skills: dict[str, int]
    released: int
    release: str
    unavailable: list[Period] = field(default_factory=list)
    booked: list[Period] = field(default_factory=list)
    days: Counter[int] = field(default_factory=Counter)

    @property
    def levels(self) -> dict[str, int]:
        return self.skills

    @property
    def home_id(self) -> int:
        return self.expert.home_administration_id


@dataclass
class SlotPlan:
    category: str
    requirements: dict[str, int]
    expert: ExpertInfo | None = None
    # The assignment's final status ("" = left unstaffed).
    outcome: str = ""
    release: str = ReleaseStatus.PENDING
    # Experts invited first who declined, or whose release was refused ("declined"/"refused").
    before: list[tuple[ExpertInfo, str]] = field(default_factory=list)


@dataclass
class MissionPlan:
    status: str
    beneficiaries: list[Organisation]
    language: str
    topics: list[str]
    level: str
    type: str
    start: datetime.date | None
    end: datetime.date | None
    window: tuple[datetime.date, datetime.date, int] | None
    slots: list[SlotPlan]
    priority: int
    distinct: str
    # One regional request naming every beneficiary, or one request per beneficiary.
    one_regional_request: bool = False
    # A cancelled mission: cancelled once planned (invitations withdrawn) or as a draft.
    cancel_after_planning: bool = False


class BuildContext:
    """The state of one build. Every random draw goes through ``rng``, in a fixed order, so
    the same seed and the same day give the same data."""

    # Written by the organisations step.
    secretariat: Organisation
    coordinator: User
    donor_user: User

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
        self.experts: list[ExpertInfo] = []
        self.missions: list[tuple[MissionPlan, Mission]] = []
        self.agreements: list[Agreement] = []
        self.logins: list[Login] = []
        self.used_names: set[tuple[str, str]] = set()
        self.demo_expert: ExpertInfo | None = None
        self.regional_turn = itertools.count()

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
