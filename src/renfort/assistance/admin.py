from django.contrib import admin

from renfort.assistance.models import Request, RequestStatusChange


class RequestStatusChangeInline(admin.TabularInline):
    model = RequestStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "level", "priority", "status", "created_at"]
    list_filter = ["status", "level", "priority"]
    search_fields = ["reference", "title"]
    filter_horizontal = ["administrations", "topics"]
    inlines = [RequestStatusChangeInline]


@admin.register(RequestStatusChange)
class RequestStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["request", "from_status", "to_status", "at", "by"]
    list_select_related = ["request", "by"]
