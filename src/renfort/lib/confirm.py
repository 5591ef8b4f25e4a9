"""Asking once more before an irreversible or costly action (docs/ux: "Irreversible or costly
actions ask once more, saying the consequence, and ask for a reason where others will read it").

The action's form posts to the action's view as before. The view asks first::

    step = confirmation(
        request,
        title=_("Refuse the release of %(name)s?") % {"name": expert.name},
        consequence=_("The expert and the secretariat will be told."),
        action=_("Refuse the release"),
        cancel_url=mission.get_absolute_url(),
        reason="required",
    )
    if step.page is not None:
        return step.page          # the confirmation page (again, with an error if need be)
    service(..., reason=step.reason)

Without JavaScript this is a second page carrying every posted field forward as hidden
inputs; nothing is written until the person confirms. ``reason`` is ``"none"``,
``"optional"`` or ``"required"``; a required reason left blank shows the page again with the
error beside the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

CONFIRMED_FIELD = "confirmed"
REASON_FIELD = "reason"
REASON_MAX = 1000
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRMED_FIELD, REASON_FIELD}


@dataclass(frozen=True)
class Confirmation:
    page: HttpResponse | None
    reason: str = ""


def confirmation(
    request: HttpRequest,
    *,
    title: str,
    consequence: str,
    action: str,
    cancel_url: str,
    reason: Literal["none", "optional", "required"] = "none",
    reason_label: str | None = None,
    danger: bool = True,
) -> Confirmation:
    """The confirmation page to show, or ``page=None`` with the reason once confirmed."""
    given = request.POST.get(REASON_FIELD, "").strip()
    error = ""
    if request.method == "POST" and request.POST.get(CONFIRMED_FIELD) == "yes":
        if reason == "required" and not given:
            error = _("Give a reason: the people concerned will read it.")
        elif len(given) > REASON_MAX:
            error = _("The reason is too long: at most %(max)d characters.") % {"max": REASON_MAX}
        else:
            return Confirmation(page=None, reason=given if reason != "none" else "")
    carried = [
        (name, value)
        for name in request.POST
        if name not in _NOT_CARRIED
        for value in request.POST.getlist(name)
    ]
    page = render(
        request,
        "confirm.html",
        {
            "title": title,
            "consequence": consequence,
            "action": action,
            "cancel_url": cancel_url,
            "reason": reason,
            "reason_label": reason_label or _("Reason"),
            "reason_value": given,
            "reason_error": error,
            "reason_max": REASON_MAX,
            "carried": carried,
            "danger": danger,
        },
        status=200 if not error else 400,
    )
    return Confirmation(page=page)
