"""The People page (accounts and invitations of an organisation), inviting someone, revoking
an invitation, (de)activating an account, and the invitee's page that opens the account.

Scopes: ``accounts.people`` (what the user sees; another's answers 404); rules:
``accounts.invitations`` (who may invite or manage whom), checked again by the services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renfort.accounts import invitations as service
from renfort.accounts.http import AuthedRequest
from renfort.accounts.invitation_forms import InviteForm
from renfort.accounts.invitation_models import Invitation
from renfort.accounts.models import Role
from renfort.accounts.people import account_for_user, invitation_for_user, invitations_visible_to
from renfort.accounts.people_selectors import PEOPLE_ROLES, accounts_found, people_search
from renfort.accounts.permissions import role_required
from renfort.lib.confirm import confirmation
from renfort.lib.forms import add_service_error

PAGE_SIZE = 25


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


@role_required(*PEOPLE_ROLES)
@require_GET
def people(request: AuthedRequest) -> HttpResponse:
    """Accounts the user sees (a page at a time, searchable) and invitations pending."""
    user = request.user
    q = people_search(request.GET.get("q", ""))
    page = Paginator(accounts_found(user, q), PAGE_SIZE).get_page(request.GET.get("page"))
    pending = Paginator(invitations_visible_to(user).pending(), PAGE_SIZE).get_page(
        request.GET.get("ipage")
    )
    query = request.GET.copy()
    query.pop("page", None)
    iquery = request.GET.copy()
    iquery.pop("ipage", None)
    rows = [(account, service.may_manage_account(user, account)) for account in page]
    invitation_rows = [
        (i, _role_label(i.role), service.may_manage_invitation(user, i)) for i in pending
    ]
    return render(
        request,
        "accounts/people/people.html",
        {
            "page": page,
            "rows": rows,
            "pending": pending,
            "invitation_rows": invitation_rows,
            "q": q,
            "query": query.urlencode(),
            "iquery": iquery.urlencode(),
            "may_invite": bool(service.roles_invitable_by(user)),
            "sees_all": service.ACCOUNT_MANAGERS.get(user.role) == service.ALL,
        },
    )


@role_required(Role.SECRETARIAT_COORDINATOR, Role.MEMBER_FOCAL_POINT)
@require_http_methods(["GET", "POST"])
def invite(request: AuthedRequest) -> HttpResponse:
    """Invite a person: the form offers only the roles and organisations the user may give."""
    user = request.user
    form = InviteForm(request.POST or None, by=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = service.invitation_create(
                by=user,
                organisation=data["organisation"],
                role=data["role"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                language=data["language"],
                expert=data.get("expert"),
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            invitation = issued.invitation
            messages.success(
                request,
                _("Invitation sent to %(name)s (%(email)s): the link works until %(date)s.")
                % {
                    "name": invitation.name,
                    "email": invitation.email,
                    "date": service.date_text(invitation.expires_at),
                },
            )
            return redirect("accounts:people")
    return render(
        request,
        "accounts/people/invite.html",
        {"form": form, "days": service.invitation_days()},
    )


@role_required(*PEOPLE_ROLES)
@require_POST
def invitation_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = invitation_for_user(request.user, pk)
    names = {"name": invitation.name, "email": invitation.email}
    step = confirmation(
        request,
        title=_("Revoke the invitation of %(name)s?") % names,
        consequence=_(
            "The link sent to %(email)s stops working at once. You can invite %(name)s again later."
        )
        % names,
        action=_("Revoke the invitation"),
        cancel_url=reverse("accounts:people"),
    )
    if step.page is not None:
        return step.page
    try:
        service.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation of %(name)s is revoked.") % names)
    return redirect("accounts:people")


def _account_change(request: AuthedRequest, pk: int, *, active: bool) -> HttpResponse:
    account = account_for_user(request.user, pk)
    names = {"name": str(account)}
    if active:
        step = confirmation(
            request,
            title=_("Reactivate the account of %(name)s?") % names,
            consequence=_("%(name)s can sign in again, with the same password as before.") % names,
            action=_("Reactivate the account"),
            cancel_url=reverse("accounts:people"),
            danger=False,
        )
    else:
        step = confirmation(
            request,
            title=_("Deactivate the account of %(name)s?") % names,
            consequence=_(
                "%(name)s can no longer sign in, and a session open now ends at its next page. "
                "Nothing else changes: their work, and an expert's record, stay as they are. "
                "You can reactivate the account later."
            )
            % names,
            action=_("Deactivate the account"),
            cancel_url=reverse("accounts:people"),
        )
    if step.page is not None:
        return step.page
    change = service.user_reactivate if active else service.user_deactivate
    try:
        change(user=account, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (
                _("The account of %(name)s is active again.")
                if active
                else _("The account of %(name)s is deactivated.")
            )
            % names,
        )
    return redirect("accounts:people")


@role_required(*PEOPLE_ROLES)
@require_POST
def account_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    return _account_change(request, pk, active=False)


@role_required(*PEOPLE_ROLES)
@require_POST
def account_reactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    return _account_change(request, pk, active=True)


def _speak(response: HttpResponse, language: str) -> None:
    """Show the next pages in ``language`` (Django's language cookie, as signing in does)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax"
    )


def _closed(request: HttpRequest, problem: ValidationError) -> HttpResponse:
    """The page of a link that no longer works: why, and what to do."""
    code = problem.code or "unknown"
    return render(
        request,
        "accounts/people/invitation_closed.html",
        {"message": " ".join(problem.messages), "code": code},
        status=404 if code == "unknown" else 410,
    )


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's page (no sign-in): choose a password, which opens the account; then sign
    in. A used, expired, revoked or unknown link shows why, with what to do."""
    invitation = service.invitation_by_token(token)
    # Spoken in the invitation's language (that of the mail) unless the visitor chose one.
    if invitation is not None and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        with translation.override(invitation.language or None):
            return _accept(request, token, invitation)
    return _accept(request, token, invitation)


def _accept(request: HttpRequest, token: str, invitation: Invitation | None) -> HttpResponse:
    problem = service.invitation_link_problem(token)
    if problem is not None or invitation is None:
        return _closed(request, problem or ValidationError("", code="unknown"))
    form: Any = SetPasswordForm(service.unsaved_user(invitation), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = service.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _closed(request, error)
            add_service_error(form, error, {"password": "new_password1"})
        else:
            messages.success(
                request,
                _("Your account is open. Sign in with your e-mail address, %(email)s.")
                % {"email": user.username},
            )
            response = redirect("accounts:login")
            if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                _speak(response, user.language)  # the sign-in page, in the invitation's language
            return response
    return render(
        request,
        "accounts/people/invitation_accept.html",
        {"form": form, "invitation": invitation, "role_label": _role_label(invitation.role)},
    )
