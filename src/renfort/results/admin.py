from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from renfort.lib.admin import HistoryAdmin, read_only_after_creation, status_action
from renfort.results.models import (
    DeliveryPlan,
    DeliveryPlanStatus,
    Evaluation,
    ExpertRating,
    FollowUpAction,
    Indicator,
    IndicatorActual,
    MissionDelivery,
    MissionReport,
    Objective,
    ReminderSent,
)
from renfort.results.services import delivery_plan_transition, follow_up_done


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "level"]
    list_filter = ["level"]
    filter_horizontal = ["requests", "missions", "agreements"]
    inlines = [IndicatorInline]


class IndicatorActualInline(admin.TabularInline):
    model = IndicatorActual
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "objective", "direction", "baseline", "target", "unit"]
    list_select_related = ["objective"]
    list_filter = ["direction"]
    inlines = [IndicatorActualInline]


@admin.register(IndicatorActual)
class IndicatorActualAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period_start", "period_end", "value", "recorded_by"]
    list_select_related = ["indicator", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(MissionDelivery)
class MissionDeliveryAdmin(admin.ModelAdmin):
    # Recorded by ``mission_deliver``, which moves the mission to delivered.
    list_display = ["mission", "actual_start", "actual_end", "by", "at"]
    list_select_related = ["mission", "by"]
    readonly_fields = ["mission", "by", "at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class FollowUpInline(admin.TabularInline):
    model = FollowUpAction
    extra = 0
    fields = ["description", "owner", "due_on", "status", "done_on"]
    readonly_fields = ["status", "done_on"]


@admin.register(MissionReport)
class MissionReportAdmin(admin.ModelAdmin):
    list_display = ["mission", "author", "submitted_at"]
    list_select_related = ["mission", "author"]
    get_readonly_fields = read_only_after_creation("mission", "author", "filed_by")
    inlines = [FollowUpInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # ``mission_report_submit`` checks who reports and moves the mission


def _done(action: FollowUpAction, by: Any, reason: str) -> None:
    follow_up_done(action=action, by=by, note=reason)


@admin.register(FollowUpAction)
class FollowUpActionAdmin(admin.ModelAdmin):
    list_display = ["mission", "owner", "due_on", "status", "done_on"]
    list_select_related = ["mission", "owner"]
    list_filter = ["status"]
    readonly_fields = ["report", "mission", "status", "done_on", "done_by", "done_note"]
    actions = [status_action("mark_done", _("Mark selected actions done"), _done, ask_reason=True)]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ExpertRatingInline(admin.TabularInline):
    model = ExpertRating
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["mission", "organisation", "by", "rating", "submitted_at"]
    list_select_related = ["mission", "organisation", "by"]
    get_readonly_fields = read_only_after_creation("mission", "organisation", "by")
    inlines = [ExpertRatingInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # ``evaluation_submit`` checks who evaluates and closes the mission


def _plan_step(to_status: str) -> Any:
    def call(plan: DeliveryPlan, by: Any, reason: str) -> None:
        delivery_plan_transition(plan=plan, to_status=to_status, by=by)

    return call


@admin.register(DeliveryPlan)
class DeliveryPlanAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "approved_by", "approved_at", "published_at"]
    readonly_fields = [
        "status",
        "created_by",
        "approved_by",
        "approved_at",
        "published_at",
    ]
    actions = [
        status_action(
            "approve_plans", _("Approve selected plans"), _plan_step(DeliveryPlanStatus.APPROVED)
        ),
        status_action(
            "publish_plans", _("Publish selected plans"), _plan_step(DeliveryPlanStatus.PUBLISHED)
        ),
    ]


@admin.register(ReminderSent)
class ReminderSentAdmin(HistoryAdmin):
    list_display = ["key", "code", "sent_on", "recipients"]
    list_filter = ["code"]
    search_fields = ["key"]
