from django.contrib import admin

from renfort.roster.models import Accreditation, Expert, Skill, Topic, Unavailability


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class SkillInline(admin.TabularInline):
    model = Skill
    extra = 0


class AccreditationInline(admin.TabularInline):
    model = Accreditation
    extra = 0


class UnavailabilityInline(admin.TabularInline):
    model = Unavailability
    extra = 0


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "home_administration", "release_status", "active"]
    list_filter = ["release_status", "active", "home_administration__region"]
    list_select_related = ["home_administration"]
    search_fields = ["last_name", "first_name", "email"]
    autocomplete_fields = ["home_administration", "user"]
    inlines = [SkillInline, AccreditationInline, UnavailabilityInline]
    # Only the home administration's member focal point sets the pool release
    # (``roster.services.expert_release_set``), from the pool pages.
    readonly_fields = ["release_status"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["expert", "topic", "level"]
    list_select_related = ["expert", "topic"]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["expert", "topic", "status", "granted_on", "expires_on"]
    list_filter = ["status"]
    list_select_related = ["expert", "topic"]


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["expert", "start", "end", "reason"]
    list_select_related = ["expert"]
