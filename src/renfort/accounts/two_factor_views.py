"""Two-factor sign-in pages: the second step, setting up an authenticator, the emergency codes,
turning it off (accounts/two_factor.py holds the rules)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from renfort.accounts.http import AuthedRequest
from renfort.accounts.two_factor import (
    SESSION_KEY,
    key_text,
    new_key,
    qr_svg,
    setup_url,
    two_factor_disable,
    two_factor_enrol,
    two_factor_enrolled,
    two_factor_new_emergency_codes,
    two_factor_required,
    two_factor_verify,
)

PENDING_KEY = "renfort_two_factor_key"
CODES_KEY = "renfort_two_factor_codes"
NEXT_KEY = "renfort_two_factor_next"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy("The 6 digits your authenticator app shows for Renfort now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class VerifyForm(CodeForm):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy(
            "The 6 digits your authenticator app shows for Renfort now, or one of your "
            "emergency codes (each works once)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
def verify(request: AuthedRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator, or an emergency code."""
    user = request.user
    if request.session.get(SESSION_KEY) != "verify":
        return redirect(_next(request, reverse("home")))
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_verify(request=request, user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "You signed in with an emergency code, which is now used up. Make new "
                        "codes on your preferences page if few are left."
                    ),
                )
            return redirect(_next(request, reverse("home")))
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/two_factor/verify.html",
        {"form": form, "next": _next(request, "")},
        status=status,
    )


@login_required
def enrol(request: AuthedRequest) -> HttpResponse:
    """Set up an authenticator: scan the QR code (or type the key), then enter the code it
    shows. The key waits in the session until the code proves the app holds it."""
    user = request.user
    if request.session.get(SESSION_KEY) == "verify":
        return redirect(reverse("accounts:two_factor_verify"))
    key = request.session.get(PENDING_KEY) or ""
    if not key:
        key = new_key()
        request.session[PENDING_KEY] = key
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = two_factor_enrol(user=user, key=key, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            del request.session[PENDING_KEY]
            otp_login(request, enrolment.device)
            request.session[SESSION_KEY] = ""
            request.session[CODES_KEY] = enrolment.emergency_codes
            request.session[NEXT_KEY] = _next(request, reverse("accounts:preferences"))
            return redirect("accounts:two_factor_codes")
    url = setup_url(user, key)
    context = {
        "form": form,
        "qr": qr_svg(url, title=_("QR code to scan with your authenticator app")),
        "key_text": key_text(key),
        "required": two_factor_required(user),
        "replacing": two_factor_enrolled(user),
        "next": _next(request, ""),
    }
    return render(
        request, "accounts/two_factor/enrol.html", context, status=400 if form.errors else 200
    )


@login_required
def codes(request: AuthedRequest) -> HttpResponse:
    """The emergency codes, shown once, right after they were made."""
    shown = request.session.pop(CODES_KEY, None)
    following = request.session.pop(NEXT_KEY, "") or reverse("accounts:preferences")
    if not shown:
        return redirect("accounts:preferences")
    return render(
        request, "accounts/two_factor/codes.html", {"codes": shown, "following": following}
    )


@login_required
def disable(request: AuthedRequest) -> HttpResponse:
    """Turn off two-factor sign-in (a current code proves it is the owner)."""
    user = request.user
    if not two_factor_enrolled(user):
        return redirect("accounts:preferences")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_disable(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Two-factor sign-in is turned off."))
            return redirect("accounts:preferences")
    return render(
        request,
        "accounts/two_factor/disable.html",
        {"form": form, "required": two_factor_required(user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def new_codes(request: AuthedRequest) -> HttpResponse:
    """Replace the emergency codes (a current code proves it is the owner)."""
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            fresh = two_factor_new_emergency_codes(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session[CODES_KEY] = fresh
            request.session[NEXT_KEY] = reverse("accounts:preferences")
            return redirect("accounts:two_factor_codes")
    for error in [*form.non_field_errors(), *form["code"].errors]:
        messages.error(request, str(error))
    return redirect("accounts:preferences")
