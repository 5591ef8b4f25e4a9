"""Missions answering accepted requests, their expert slots and the assignments that fill them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation
from renfort.assistance.models import Level, Request
from renfort.lib.audit import AuditedHistory
from renfort.lib.dates import validate_date_in_range
from renfort.lib.history import StatusChangeBase
from renfort.lib.limits import LONG_TEXT, SHORT_TEXT, length_checks
from renfort.lib.messages import CODE_MAX, render
from renfort.missions.indexes import AssignmentIndexes, MissionIndexes  # their Meta.indexes
from renfort.missions.offer_models import SlotOffer  # noqa: F401  (its own module)
from renfort.missions.terms_models import TermsConfirmation  # noqa: F401  (its own module)
from renfort.roster.models import Category, Expert, ReleaseStatus, Topic


class MissionType(models.TextChoices):
    DIAGNOSTIC = "diagnostic", _("Diagnostic")
    ADVISORY = "advisory", _("Advisory")
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    FOLLOW_UP = "follow_up", _("Follow-up")
    REMOTE = "remote", _("Remote")


class MissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PLANNED = "planned", _("Planned")
    SCHEDULED = "scheduled", _("Scheduled")
    CONFIRMED = "confirmed", _("Confirmed")
    DELIVERED = "delivered", _("Delivered")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


M = MissionStatus
MISSION_TRANSITIONS: dict[str, frozenset[str]] = {
    M.DRAFT: frozenset({M.PLANNED, M.CANCELLED}),
    M.PLANNED: frozenset({M.DRAFT, M.SCHEDULED, M.CANCELLED}),
    M.SCHEDULED: frozenset({M.PLANNED, M.CONFIRMED, M.CANCELLED}),
    M.CONFIRMED: frozenset({M.SCHEDULED, M.DELIVERED, M.CANCELLED}),
    M.DELIVERED: frozenset({M.REPORTED}),
    M.REPORTED: frozenset({M.CLOSED}),
    M.CLOSED: frozenset(),
    M.CANCELLED: frozenset(),
}
# Mission status groups, each defined here only (docs/rules.md, "Where each rule lives").
# Not yet confirmed: slots, dates and experts may still change; the planner plans these
# missions and lending administrations offer experts for them in the matrix.
EDITABLE_MISSION_STATUSES = frozenset({M.DRAFT, M.PLANNED, M.SCHEDULED})
# Still take experts: an assignment may be created, invited or accepted.
STAFFABLE_MISSION_STATUSES = EDITABLE_MISSION_STATUSES | {M.CONFIRMED}
# Dates set, being confirmed or confirmed: what people prepare for.
UPCOMING_MISSION_STATUSES = frozenset({M.SCHEDULED, M.CONFIRMED})
# Delivered or later: reports and evaluations follow.
DONE_MISSION_STATUSES = frozenset({M.DELIVERED, M.REPORTED, M.CLOSED})
# Dead: its assignments hold no expert time and it answers no request.
DEAD_MISSION_STATUSES = frozenset({M.CANCELLED})
# Open: neither closed nor dead.
OPEN_MISSION_STATUSES = frozenset(M) - {M.CLOSED} - DEAD_MISSION_STATUSES


class MissionQuerySet(models.QuerySet["Mission"]):
    def editable(self) -> MissionQuerySet:
        return self.filter(status__in=EDITABLE_MISSION_STATUSES)

    def staffable(self) -> MissionQuerySet:
        return self.filter(status__in=STAFFABLE_MISSION_STATUSES)

    def upcoming(self) -> MissionQuerySet:
        return self.filter(status__in=UPCOMING_MISSION_STATUSES)

    def open(self) -> MissionQuerySet:
        return self.filter(status__in=OPEN_MISSION_STATUSES)

    def live(self) -> MissionQuerySet:
        """Not dead (cancelled)."""
        return self.exclude(status__in=DEAD_MISSION_STATUSES)


class DistinctCountries(models.TextChoices):
    REQUIRED = "required", _("Required")
    PREFERRED = "preferred", _("Preferred")
    NONE = "none", _("No preference")


class Mission(models.Model):
    """A mission: fixed dates, or a window and a duration in which the planner picks dates."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    requests = models.ManyToManyField(
        Request, verbose_name=_("requests answered"), related_name="missions"
    )
    type = models.CharField(_("type"), max_length=12, choices=MissionType.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    beneficiaries = models.ManyToManyField(
        Organisation, verbose_name=_("beneficiaries"), related_name="missions_received"
    )
    start = models.DateField(
        _("first day"), null=True, blank=True, validators=[validate_date_in_range]
    )
    end = models.DateField(
        _("last day"), null=True, blank=True, validators=[validate_date_in_range]
    )
    window_start = models.DateField(
        _("window from"), null=True, blank=True, validators=[validate_date_in_range]
    )
    window_end = models.DateField(
        _("window to"), null=True, blank=True, validators=[validate_date_in_range]
    )
    duration_days = models.PositiveSmallIntegerField(
        _("duration (days)"),
        null=True,
        blank=True,
        help_text=_(
            "With a window: the days the mission lasts, counted in working days of the host "
            "country's calendar when it is known (its weekend and public holidays in between "
            "do not count), else in calendar days."
        ),
    )
    language = models.CharField(_("language"), max_length=2, help_text=_("ISO 639-1 code."))
    location = models.CharField(_("location"), max_length=200, blank=True)
    objectives = models.TextField(_("objectives"), max_length=LONG_TEXT, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    straddle_weekend = models.BooleanField(
        _("may straddle a weekend"),
        default=False,
        help_text=_(
            "A mission of five working days or fewer runs within one working week unless "
            "this is ticked; a longer one may always straddle a weekend."
        ),
    )
    distinct_countries = models.CharField(
        _("experts from different countries"),
        max_length=10,
        choices=DistinctCountries.choices,
        default=DistinctCountries.PREFERRED,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MissionStatus.choices, default=MissionStatus.DRAFT
    )
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=SHORT_TEXT, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MissionQuerySet.as_manager()

    field_history = AuditedHistory()

    class Meta(MissionIndexes):
        ordering = ["start", "window_start", "reference"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(start__isnull=True) & models.Q(end__isnull=True))
                | (models.Q(start__isnull=False) & models.Q(end__gte=models.F("start"))),
                name="mission_dates_in_order",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(window_start__isnull=True)
                    & models.Q(window_end__isnull=True)
                    & models.Q(duration_days__isnull=True)
                )
                | (
                    models.Q(window_start__isnull=False)
                    & models.Q(window_end__gte=models.F("window_start"))
                    & models.Q(duration_days__gte=1)
                ),
                name="mission_window_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(start__isnull=False) | models.Q(window_start__isnull=False),
                name="mission_has_dates_or_window",
            ),
            *length_checks(
                reference=20,
                title=200,
                language=2,
                location=200,
                objectives=LONG_TEXT,
                cancel_reason=SHORT_TEXT,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def has_dates(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def is_windowed(self) -> bool:
        return self.window_start is not None

    @property
    def days(self) -> int:
        """Mission days: from its dates, or its duration while the planner has not set them."""
        if self.start is not None and self.end is not None:
            return (self.end - self.start).days + 1
        return self.duration_days or 0

    def period(self) -> tuple[datetime.date, datetime.date] | None:
        if self.start is None or self.end is None:
            return None
        return self.start, self.end


class MissionStatusChange(StatusChangeBase):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=MissionStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=MissionStatus.choices)

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("mission status change")
        verbose_name_plural = _("mission status changes")

    def __str__(self) -> str:
        return f"{self.mission.reference}: {self.from_status or '-'} -> {self.to_status}"


class Slot(models.Model):
    """One expert place on a mission: a category and minimum topic levels."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)

    field_history = AuditedHistory()

    class Meta:
        ordering = ["mission", "position", "id"]
        verbose_name = _("expert slot")
        verbose_name_plural = _("expert slots")
        constraints = [
            models.UniqueConstraint(fields=["mission", "position"], name="slot_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.mission.reference}-{self.position}"

    @property
    def code(self) -> str:
        """The slot's id in planner files."""
        return f"{self.mission.reference}-{self.position}"


class SlotRequirement(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="requirements")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField(
        _("minimum level"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    field_history = AuditedHistory()

    class Meta:
        ordering = ["topic__name"]
        verbose_name = _("slot requirement")
        verbose_name_plural = _("slot requirements")
        constraints = [
            models.UniqueConstraint(fields=["slot", "topic"], name="one_requirement_per_topic"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="requirement_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} >= {self.level}"


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CONFIRMED = "confirmed", _("Confirmed")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


A = AssignmentStatus
ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    A.PROPOSED: frozenset({A.INVITED, A.WITHDRAWN}),
    A.INVITED: frozenset({A.ACCEPTED, A.DECLINED, A.WITHDRAWN}),
    A.ACCEPTED: frozenset({A.CONFIRMED, A.WITHDRAWN}),
    A.CONFIRMED: frozenset({A.COMPLETED, A.WITHDRAWN}),
    A.DECLINED: frozenset(),
    A.COMPLETED: frozenset(),
    A.WITHDRAWN: frozenset(),
}
# The PostgreSQL exclusion constraint over (expert, busy range) of active assignments.
BUSY_CONSTRAINT = "assignment_expert_not_double_booked"


def travel_days() -> int:
    """Free days an expert needs between two missions (``PLANNER_TRAVEL_DAYS``): the gap of
    the availability rule (``eligibility.overlaps``) and the tail of a busy range."""
    return int(getattr(settings, "PLANNER_TRAVEL_DAYS", 1))


# Assignment status groups, each defined here only (docs/rules.md, "Where each rule lives").
# Active: holds the slot and, unless its mission is dead, the expert's time.
ACTIVE_ASSIGNMENT_STATUSES = frozenset(
    {A.PROPOSED, A.INVITED, A.ACCEPTED, A.CONFIRMED, A.COMPLETED}
)
# Active and not done: may still change; the planner keeps them as pins, a cancelled mission
# withdraws them.
OPEN_ASSIGNMENT_STATUSES = ACTIVE_ASSIGNMENT_STATUSES - {A.COMPLETED}
# The home administration is asked for, and decides, the expert's release.
RELEASE_ASKED_ASSIGNMENT_STATUSES = frozenset({A.INVITED, A.ACCEPTED})
# The expert knows of it (invited, and what their answer led to); proposals stay with the
# secretariat.
KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES = frozenset(
    {A.INVITED, A.ACCEPTED, A.DECLINED, A.CONFIRMED, A.COMPLETED}
)
# The expert takes part in the mission: accepted, confirmed or completed.
TAKING_PART_ASSIGNMENT_STATUSES = frozenset({A.ACCEPTED, A.CONFIRMED, A.COMPLETED})
# The expert has committed to it and it is still ahead: unavailability may not cover it.
COMMITTED_ASSIGNMENT_STATUSES = frozenset({A.ACCEPTED, A.CONFIRMED})


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def active(self) -> AssignmentQuerySet:
        return self.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES)

    def open(self) -> AssignmentQuerySet:
        return self.filter(status__in=OPEN_ASSIGNMENT_STATUSES)

    def holding_time(self) -> AssignmentQuerySet:
        """Active assignments on missions that are not dead: they hold their expert's days
        (the availability rule's bookings)."""
        return self.active().exclude(slot__mission__status__in=DEAD_MISSION_STATUSES)


class AssignmentSource(models.TextChoices):
    PLANNER = "planner", _("Planner")
    MANUAL = "manual", _("Manual")


class Assignment(models.Model):
    """An expert in a slot. At most one active assignment per slot."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=A.PROPOSED
    )
    source = models.CharField(
        _("source"), max_length=8, choices=AssignmentSource.choices, default=AssignmentSource.MANUAL
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    fit = models.FloatField(_("fit"), null=True, blank=True)
    # Why the expert fits, as the application says it (``lib.messages``): a code and its
    # parameters, rendered in the reader's language (``explanation_text``). ``explanation``
    # holds the words of rows written before codes, and the planner's own (English) reasons.
    explanation = models.TextField(_("fit explanation"), max_length=LONG_TEXT, blank=True)
    explanation_code = models.CharField(_("fit explanation code"), max_length=CODE_MAX, blank=True)
    explanation_params = models.JSONField(_("fit explanation parameters"), default=dict, blank=True)
    release_status = models.CharField(
        _("release by home administration"),
        max_length=10,
        choices=ReleaseStatus.choices,
        default=ReleaseStatus.PENDING,
    )
    decline_reason = models.TextField(_("reason"), max_length=SHORT_TEXT, blank=True)
    # The days this assignment holds the expert: the mission's first day to its last day plus
    # the travel days in force when booked; empty while the mission has no dates or the
    # assignment is not active. On PostgreSQL an exclusion constraint (BUSY_CONSTRAINT,
    # migration 0005) keeps one expert's ranges apart: no double booking.
    busy_from = models.DateField(_("busy from"), null=True, blank=True, editable=False)
    busy_to = models.DateField(_("busy to"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    field_history = AuditedHistory()

    class Meta(AssignmentIndexes):
        ordering = ["slot", "-created_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                # In the choices' order, so the migration's condition stays as written.
                condition=models.Q(
                    status__in=[s.value for s in A if s in ACTIVE_ASSIGNMENT_STATUSES]
                ),
                name="one_active_assignment_per_slot",
            ),
            models.CheckConstraint(
                condition=(models.Q(busy_from__isnull=True) & models.Q(busy_to__isnull=True))
                | (
                    models.Q(busy_from__isnull=False)
                    & models.Q(busy_to__isnull=False)
                    & models.Q(busy_to__gte=models.F("busy_from"))
                ),
                name="assignment_busy_range_in_order",
            ),
            *length_checks(
                explanation=LONG_TEXT, explanation_code=CODE_MAX, decline_reason=SHORT_TEXT
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot.code}: {self.expert}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENT_STATUSES

    @property
    def explanation_text(self) -> str:
        """Why the expert fits, in the active language (else the stored words, if any)."""
        if self.explanation_code:
            return str(render(self.explanation_code, self.explanation_params))
        return self.explanation

    def busy_range(
        self, mission: Mission | None = None
    ) -> tuple[datetime.date | None, datetime.date | None]:
        """The days the assignment holds its expert on ``mission`` (default: its own) as it is
        now: first day to last day + travel days; ``(None, None)`` when it holds none.

        Two such ranges of one expert overlap exactly when the ``overlap`` rule
        (``eligibility.availability_misses``) refuses the pair."""
        mission = mission or self.slot.mission
        if not self.is_active or mission.status in DEAD_MISSION_STATUSES:
            return None, None
        if mission.start is None or mission.end is None:
            return None, None
        return mission.start, mission.end + datetime.timedelta(days=travel_days())

    def refresh_busy_range(self, mission: Mission | None = None) -> list[str]:
        """Set ``busy_from``/``busy_to`` from the status and the mission's dates; returns the
        fields to save (none if unchanged)."""
        busy = self.busy_range(mission)
        if (self.busy_from, self.busy_to) == busy:
            return []
        self.busy_from, self.busy_to = busy
        return ["busy_from", "busy_to"]


class AssignmentStatusChange(StatusChangeBase):
    """One step of an assignment's history (the first: its creation)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=AssignmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=AssignmentStatus.choices)

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("assignment status change")
        verbose_name_plural = _("assignment status changes")

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.from_status or '-'} -> {self.to_status}"


class SlotExclusion(models.Model):
    """An expert a coordinator keeps out of a slot: never offered, assigned or planned there
    (the ``excluded`` rule, ``eligibility.exclusion_misses``)."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="exclusions")
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="slot_exclusions"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("excluded at"), auto_now_add=True)
    reason = models.TextField(_("reason"), max_length=SHORT_TEXT, blank=True)

    class Meta:
        ordering = ["slot", "at", "id"]
        verbose_name = _("slot exclusion")
        verbose_name_plural = _("slot exclusions")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "expert"], name="one_exclusion_per_slot_expert"
            ),
            *length_checks(reason=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.slot.code}: not {self.expert}"
