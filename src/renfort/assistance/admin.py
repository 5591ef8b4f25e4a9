from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import User
from renfort.assistance.models import Request, RequestStatusChange
from renfort.assistance.services import request_decline
from renfort.lib.admin import HistoryAdmin, status_action


def _decline(request: Request, by: User, reason: str) -> None:
    request_decline(request=request, by=by, reason=reason)


class RequestStatusChangeInline(admin.TabularInline):
    model = RequestStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "at", "by", "note", "note_code", "note_params"]


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "level", "priority", "status", "created_at"]
    list_filter = ["status", "level", "priority"]
    search_fields = ["reference", "title"]
    filter_horizontal = ["administrations", "topics"]
    inlines = [RequestStatusChangeInline]
    # A status changes through ``request_transition`` (history, notices), from actions.
    readonly_fields = ["status", "decline_reason"]
    actions = [
        status_action("decline_requests", _("Decline selected requests"), _decline, ask_reason=True)
    ]


@admin.register(RequestStatusChange)
class RequestStatusChangeAdmin(HistoryAdmin):
    list_display = ["request", "from_status", "to_status", "at", "by"]
    list_select_related = ["request", "by"]
