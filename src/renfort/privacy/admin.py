from django.contrib import admin
from django.http import HttpRequest

from renfort.privacy.models import ErasureRequest


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are asked and decided on the privacy pages (their services lock
    the expert and anonymise in one transaction)."""

    list_display = ["id", "expert", "status", "asked_at", "decided_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in ErasureRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
