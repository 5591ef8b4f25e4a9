from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import User
from renfort.lib.admin import HistoryAdmin, read_only_after_creation, status_action
from renfort.missions import services
from renfort.missions.models import (
    Assignment,
    AssignmentStatus,
    AssignmentStatusChange,
    Mission,
    MissionStatus,
    MissionStatusChange,
    Slot,
    SlotExclusion,
    SlotRequirement,
)


def _cancel(mission: Mission, by: User, reason: str) -> None:
    services.mission_transition(
        mission=mission, to_status=MissionStatus.CANCELLED, by=by, note=reason
    )


def _withdraw(assignment: Assignment, by: User, reason: str) -> None:
    services.assignment_transition(
        assignment=assignment, to_status=AssignmentStatus.WITHDRAWN, by=by, reason=reason
    )


def _let_back(exclusion: SlotExclusion, by: User, reason: str) -> None:
    services.slot_exclusion_remove(exclusion=exclusion, by=by)


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "type", "level", "start", "end", "status"]
    list_filter = ["status", "type", "level"]
    search_fields = ["reference", "title"]
    filter_horizontal = ["requests", "beneficiaries"]
    inlines = [SlotInline]
    # A status changes through ``mission_transition`` (rules, history, notices), from actions.
    readonly_fields = ["status", "cancel_reason"]
    actions = [
        status_action("cancel_missions", _("Cancel selected missions"), _cancel, ask_reason=True)
    ]


class SlotRequirementInline(admin.TabularInline):
    model = SlotRequirement
    extra = 0


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category"]
    list_select_related = ["mission"]
    inlines = [SlotRequirementInline]


@admin.register(SlotRequirement)
class SlotRequirementAdmin(admin.ModelAdmin):
    list_display = ["slot", "topic", "level"]
    list_select_related = ["slot__mission", "topic"]


@admin.register(SlotExclusion)
class SlotExclusionAdmin(HistoryAdmin):
    """Exclusions are read here, never written by hand: they are made on the mission's page
    and lifted by ``slot_exclusion_remove`` (the action below), which lock the expert, then the
    mission; exclusions the rules derive (a decline, a withdrawal, a refused release) are not
    rows and live with their assignments."""

    list_display = ["slot", "expert", "at", "by", "reason"]
    list_select_related = ["slot__mission", "expert", "by"]
    search_fields = ["slot__mission__reference", "expert__first_name", "expert__last_name"]
    actions = [
        status_action(
            "let_back_into_slots", _("Let the selected experts back into their slots"), _let_back
        )
    ]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["slot", "expert", "status", "source", "pinned", "release_status"]
    list_filter = ["status", "source", "pinned", "release_status"]
    list_select_related = ["slot__mission", "expert"]
    raw_id_fields = ["slot", "expert"]
    # Assignments are made by ``assignment_create`` (every rule, the first history row) and
    # move through ``assignment_transition`` / ``assignment_release_decide``; an assignment
    # never changes slot or expert.
    readonly_fields = [
        "status",
        "release_status",
        "decline_reason",
        "explanation_code",
        "explanation_params",
    ]
    get_readonly_fields = read_only_after_creation("slot", "expert")
    actions = [status_action("withdraw_assignments", _("Withdraw selected assignments"), _withdraw)]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MissionStatusChange)
class MissionStatusChangeAdmin(HistoryAdmin):
    list_display = ["mission", "from_status", "to_status", "at", "by"]
    list_select_related = ["mission", "by"]


@admin.register(AssignmentStatusChange)
class AssignmentStatusChangeAdmin(HistoryAdmin):
    list_display = ["assignment", "from_status", "to_status", "at", "by", "note_code"]
    list_select_related = ["assignment__slot__mission", "assignment__expert", "by"]
    raw_id_fields = ["assignment"]
