"""Calendar feeds in the admin: read-only (a person revokes their own feeds on their page)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from renfort.feeds.models import CalendarFeed

FIELDS = ("owner", "kind", "expert", "organisation", "region", "created_at", "revoked_at")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin[CalendarFeed]):
    list_display = FIELDS
    list_filter = ("kind",)
    list_select_related = ("owner", "expert", "organisation")
    search_fields = ("owner__username", "owner__last_name")
    exclude = ("nonce", "key_hash")
    readonly_fields = FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
