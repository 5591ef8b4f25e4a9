"""The secretariat's page of sign-in lockouts, and its unlock (accounts/signin.py)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.accounts.signin import lockout_release, lockouts
from renfort.lib.confirm import confirmation


@role_required(Role.SECRETARIAT_COORDINATOR)
def lockout_list(request: AuthedRequest) -> HttpResponse:
    """The accounts and addresses that may not sign in now, with when each lock lifts."""
    return render(request, "accounts/security/lockouts.html", {"lockouts": lockouts()})


@role_required(Role.SECRETARIAT_COORDINATOR)
@require_POST
def lockout_unlock(request: AuthedRequest) -> HttpResponse:
    """Let a locked account or address sign in again at once, after asking once more."""
    kind = request.POST.get("kind", "")
    value = request.POST.get("value", "").strip()
    if kind not in {"account", "address"} or not value:
        raise Http404
    title = (
        _("Unlock the account %(name)s?")
        if kind == "account"
        else _("Unlock the address %(name)s?")
    ) % {"name": value}
    step = confirmation(
        request,
        title=title,
        consequence=_(
            "Its failed sign-ins are forgotten and signing in works again at once. Unlock only "
            "when you know who failed to sign in."
        ),
        action=_("Unlock"),
        cancel_url=reverse("accounts:lockouts"),
        danger=False,
    )
    if step.page is not None:
        return step.page
    try:
        lockout_release(actor=request.user, kind=kind, value=value)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s can sign in again.") % {"name": value})
    return redirect("accounts:lockouts")


def security_txt(request: HttpRequest) -> HttpResponse:
    """``/.well-known/security.txt`` (RFC 9116): where to report a vulnerability."""
    expires = (timezone.now() + datetime.timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: mailto:{settings.SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(datetime.UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en, fr",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
