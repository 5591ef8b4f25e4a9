from django.contrib import admin

from renfort.missions.models import (
    Assignment,
    Mission,
    MissionStatusChange,
    PlannerRun,
    Slot,
    SlotRequirement,
)


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


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["slot", "expert", "status", "source", "pinned", "release_status"]
    list_filter = ["status", "source", "pinned", "release_status"]
    list_select_related = ["slot__mission", "expert"]
    raw_id_fields = ["slot", "expert"]


@admin.register(MissionStatusChange)
class MissionStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["mission", "from_status", "to_status", "at", "by"]
    list_select_related = ["mission", "by"]


@admin.register(PlannerRun)
class PlannerRunAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "created_by", "status", "finished_at"]
    list_filter = ["status"]
