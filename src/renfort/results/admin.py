from django.contrib import admin

from renfort.results.models import (
    Evaluation,
    Indicator,
    IndicatorActual,
    MissionReport,
    Objective,
)


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


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "objective", "baseline", "target", "unit"]
    list_select_related = ["objective"]
    inlines = [IndicatorActualInline]


@admin.register(IndicatorActual)
class IndicatorActualAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period_start", "period_end", "value"]
    list_select_related = ["indicator"]


@admin.register(MissionReport)
class MissionReportAdmin(admin.ModelAdmin):
    list_display = ["mission", "author", "submitted_at"]
    list_select_related = ["mission", "author"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["mission", "by", "rating", "submitted_at"]
    list_select_related = ["mission", "by"]
