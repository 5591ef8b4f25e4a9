from django.contrib import admin

from renfort.agreements.models import Agreement, AgreementParty


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "kind", "start", "end", "budget", "currency"]
    list_filter = ["kind"]
    search_fields = ["reference", "title"]
    filter_horizontal = ["missions"]
    inlines = [AgreementPartyInline]


@admin.register(AgreementParty)
class AgreementPartyAdmin(admin.ModelAdmin):
    list_display = ["agreement", "organisation", "role", "contribution"]
    list_filter = ["role"]
    list_select_related = ["agreement", "organisation"]
