from django.contrib import admin

from renfort.planning.models import PlannerRun


@admin.register(PlannerRun)
class PlannerRunAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "created_by", "status", "finished_at"]
    list_filter = ["status"]
    # A run's status is its own machine, moved by the worker (``solving.planner_run_execute``)
    # with what it writes; none of it is edited by hand.
    readonly_fields = [
        "status",
        "progress",
        "problem",
        "plan",
        "error",
        "error_code",
        "error_params",
        "finished_at",
    ]
