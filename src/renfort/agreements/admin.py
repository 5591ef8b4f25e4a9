from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import User
from renfort.agreements import services
from renfort.agreements.models import (
    ActualCost,
    Agreement,
    AgreementChange,
    AgreementDocument,
    AgreementParty,
    AgreementStatus,
    BudgetLine,
    DailyAllowanceRate,
    MissionCostEstimate,
    MissionFunding,
)
from renfort.lib.admin import HistoryAdmin, status_action


def _activate(agreement: Agreement, by: User, reason: str) -> None:
    services.agreement_transition(agreement=agreement, to_status=AgreementStatus.ACTIVE, by=by)


def _close(agreement: Agreement, by: User, reason: str) -> None:
    services.agreement_transition(
        agreement=agreement, to_status=AgreementStatus.CLOSED, by=by, note=reason
    )


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0


class BudgetLineInline(admin.TabularInline):
    """Read here; lines change on the agreement's page (never more than the budget)."""

    model = BudgetLine
    extra = 0
    fields = ("name", "amount", "position")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MissionFundingInline(admin.TabularInline):
    """Read here; fundings change through ``agreement_fund_mission`` (budget checks, lock)."""

    model = MissionFunding
    extra = 0
    fields = ("mission", "budget_line", "amount", "funded_by", "funded_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "kind", "status", "start", "end", "budget", "currency"]
    list_filter = ["kind", "status"]
    search_fields = ["reference", "title"]
    # A status changes through ``agreement_transition`` (rules, history), from actions.
    readonly_fields = ["status"]
    inlines = [AgreementPartyInline, BudgetLineInline, MissionFundingInline]
    actions = [
        status_action("activate_agreements", _("Activate selected agreements"), _activate),
        status_action("close_agreements", _("Close selected agreements"), _close, ask_reason=True),
    ]


@admin.register(AgreementParty)
class AgreementPartyAdmin(admin.ModelAdmin):
    list_display = ["agreement", "organisation", "role", "contribution"]
    list_filter = ["role"]
    list_select_related = ["agreement", "organisation"]


@admin.register(AgreementChange)
class AgreementChangeAdmin(HistoryAdmin):
    list_display = ["agreement", "from_status", "to_status", "note_code", "at", "by"]
    list_select_related = ["agreement", "by"]


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(admin.ModelAdmin):
    """Documents are added on the agreement's page (type and size checked) and read there."""

    list_display = ["agreement", "title", "kind", "original_name", "size", "uploaded_at"]
    list_select_related = ["agreement"]
    readonly_fields = ["file", "original_name", "size", "sha256", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(DailyAllowanceRate)
class DailyAllowanceRateAdmin(HistoryAdmin):
    """Read here; the secretariat keeps the rates on the rate table page (codes checked)."""

    list_display = ["country", "daily_allowance", "travel", "currency", "illustrative"]
    list_filter = ["illustrative", "currency"]
    search_fields = ["country"]


@admin.register(MissionCostEstimate)
class MissionCostEstimateAdmin(HistoryAdmin):
    list_display = ["mission", "total", "currency", "experts", "days", "computed_at"]
    list_select_related = ["mission"]


@admin.register(ActualCost)
class ActualCostAdmin(HistoryAdmin):
    list_display = ["agreement", "mission", "budget_line", "amount", "paid_on"]
    list_select_related = ["agreement", "mission", "budget_line"]
