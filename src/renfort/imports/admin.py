"""Import jobs in the admin: read only, the record of who imported what and when."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from renfort.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    list_display = ["name", "kind", "uploaded_by", "status", "created_at", "imported_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "uploaded_by__username", "checksum"]
    date_hierarchy = "created_at"
    list_select_related = ["uploaded_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
