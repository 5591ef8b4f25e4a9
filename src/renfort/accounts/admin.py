from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Notification, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "region", "lends_experts"]
    list_filter = ["kind", "region", "lends_experts"]
    search_fields = ["name", "short_name", "country"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "organisation", "role"]
    list_filter = ["role", "is_staff", "is_active"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Renfort"), {"fields": ("organisation", "role", "language", "notification_mail")}),
    )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "subject_text", "created_at", "read_at"]
    list_select_related = ["recipient"]
