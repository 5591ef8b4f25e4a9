"""The token page: each person makes, lists and revokes their own personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.api.forms import TokenForm
from renfort.api.tokens import token_create, token_for_owner, tokens_of
from renfort.api.tokens import token_revoke as revoke
from renfort.lib.confirm import confirmation
from renfort.lib.forms import add_service_error

PAGE_SIZE = 50


def two_factor_verified(request: AuthedRequest) -> bool:
    """Whether this session passed two-factor sign-in (django-otp's ``is_verified``)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthedRequest) -> HttpResponse:
    """Your API tokens: make one (its secret shown once, on this answer only), see when each
    was last used, revoke it."""
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            made = token_create(
                owner=request.user,
                name=form.cleaned_data["name"],
                expires_days=form.cleaned_data["expires_days"],
                two_factor_verified=two_factor_verified(request),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            secret = made.secret
            form = TokenForm()
    page = Paginator(tokens_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "page": page,
            "docs_url": reverse("api:openapi-view"),
            "now": timezone.now(),
        },
    )
    # The page that shows a secret is never kept by a browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    """Revoke one of your tokens, after saying what it stops (another person's: 404)."""
    token = token_for_owner(request.user, pk)
    if token.revoked_at is None:
        step = confirmation(
            request,
            title=_("Revoke the token “%(name)s” (%(prefix)s)?")
            % {
                "name": token.name,
                "prefix": token.prefix,
            },
            consequence=_(
                "Every program that uses it stops working at once; this cannot be undone."
            ),
            action=_("Revoke the token"),
            cancel_url=reverse("api_tokens:token_list"),
        )
        if step.page is not None:
            return step.page
        revoke(token=token, by=request.user)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:token_list")
