"""Admin actions that change a status through its service, one selected row at a time.

In the admin, status fields are read-only: a status changes only through its transition
service, which checks the rules, writes the history row and tells the people concerned. An
action built here passes each selected row to one service call; a refusal is reported for
its row (the service's own message) and leaves that row as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from renfort.lib.limits import SHORT_TEXT

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# ``call(row, user, reason)``: one service call for one selected row.
ServiceCall = Callable[[Any, Any, str], object]
Action = Callable[[admin.ModelAdmin[Any], HttpRequest, QuerySet[Any]], TemplateResponse | None]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=SHORT_TEXT, widget=forms.Textarea)


def status_action(
    name: str, description: str | _StrPromise, call: ServiceCall, *, ask_reason: bool = False
) -> Action:
    """An admin action ``name`` that calls ``call(row, user, reason)`` for each selected row.

    With ``ask_reason`` a page first asks for the reason (a person's own words, kept by the
    service); without, the reason is empty.
    """

    def action(
        modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
    ) -> TemplateResponse | None:
        reason = ""
        if ask_reason:
            form = ReasonForm(request.POST if "apply" in request.POST else None)
            if not form.is_valid():
                context = {
                    **modeladmin.admin_site.each_context(request),
                    "title": description,
                    "rows": list(queryset),
                    "form": form,
                    "action": name,
                    "checkbox": ACTION_CHECKBOX_NAME,
                    "opts": modeladmin.model._meta,
                }
                return TemplateResponse(request, "admin/renfort_status_action.html", context)
            reason = form.cleaned_data["reason"]
        _apply(modeladmin, request, queryset, call, reason)
        return None

    action.__name__ = name
    return admin.action(description=description)(action)


def _apply(
    modeladmin: admin.ModelAdmin[Any],
    request: HttpRequest,
    queryset: QuerySet[Any],
    call: ServiceCall,
    reason: str,
) -> None:
    changed = 0
    for row in queryset:
        try:
            call(row, request.user, reason)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{row}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(
            request,
            ngettext("%(count)d row changed.", "%(count)d rows changed.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )


def read_only_after_creation(*fields: str) -> Callable[..., list[str]]:
    """``get_readonly_fields`` for fields that never change once the row exists."""

    def get_readonly_fields(
        self: admin.ModelAdmin[Any], request: HttpRequest, obj: Model | None = None
    ) -> list[str]:
        base = list(self.readonly_fields)
        return base + [f for f in fields if f not in base] if obj is not None else base

    return get_readonly_fields


class HistoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg, unused-ignore]
    """A history table in the admin: read, never written (the services write it)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
