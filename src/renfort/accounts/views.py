"""Signing in, the language and the inbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_htmx.middleware import HtmxDetails

from renfort.accounts.forms import PreferencesForm
from renfort.accounts.http import AuthedRequest
from renfort.accounts.inbox import (
    notification_for_user,
    notification_mark_read,
    notifications_for,
)
from renfort.accounts.preferences import user_set_language, user_set_preferences
from renfort.accounts.two_factor import (
    SESSION_KEY,
    emergency_codes_left,
    two_factor_enrolled,
    two_factor_required,
)
from renfort.accounts.two_factor_views import CodeForm

INBOX_PAGE_SIZE = 25


class HtmxRequest(AuthedRequest):
    """A signed-in request seen through django-htmx's middleware."""

    htmx: HtmxDetails


@login_required
def inbox(request: HtmxRequest) -> HttpResponse:
    """The user's notifications, newest first, a page at a time; ``?unread=1`` filters."""
    unread_only = request.GET.get("unread") == "1"
    paginator = Paginator(notifications_for(request.user, unread_only=unread_only), INBOX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only}
    template = "accounts/inbox.html#notification-list" if request.htmx else "accounts/inbox.html"
    return render(request, template, context)


def _safe_next(request: AuthedRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def notification_read(request: HtmxRequest, pk: int) -> HttpResponse:
    """Mark one notification as read; with ``open`` set, go on to the page it links to."""
    notification = notification_for_user(request.user, pk)
    notification_mark_read(user=request.user, notification=notification)
    if (
        request.POST.get("open")
        and notification.link
        and url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()})
    ):
        return HttpResponseRedirect(notification.link)
    if request.htmx:
        notification.refresh_from_db()
        return render(request, "accounts/inbox.html#notification", {"notification": notification})
    return redirect(_safe_next(request, reverse("accounts:inbox")))


@login_required
@require_POST
def notifications_read_all(request: AuthedRequest) -> HttpResponse:
    """Mark every unread notification of the user as read."""
    changed = notification_mark_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            changed,
        )
        % {"count": changed}
        if changed
        else _("Nothing was unread."),
    )
    return redirect(_safe_next(request, reverse("accounts:inbox")))


@require_POST
def set_language(request: HttpRequest) -> HttpResponseBase:
    """Switch the language of the pages; a signed-in user keeps it as their preference,
    which also chooses the language of their mail."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_set_language(user=request.user, language=language)
    return response


def _remember_language(response: HttpResponseBase, language: str) -> None:
    """Show the next pages in ``language`` (Django's language cookie)."""
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


class LoginView(auth_views.LoginView):
    """Sign in; then show pages in the user's preferred language unless they chose one here."""

    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        pending = self.request.session.get(SESSION_KEY)
        if pending:  # the second step first, then where the person was going
            step = (
                "accounts:two_factor_verify" if pending == "verify" else "accounts:two_factor_enrol"
            )
            response = HttpResponseRedirect(
                reverse(step) + "?" + urlencode({"next": self.get_success_url()})
            )
        language = getattr(form.get_user(), "language", "")
        chosen = settings.LANGUAGE_COOKIE_NAME in self.request.COOKIES
        if language in dict(settings.LANGUAGES) and not chosen:
            _remember_language(response, language)
        return response


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    success_url=reverse_lazy("accounts:password_change_done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    success_url=reverse_lazy("accounts:password_reset_done"),
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    success_url=reverse_lazy("accounts:password_reset_complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    """The user's own preferences: the language Renfort speaks to them in, and how their
    notifications come by e-mail (each, a daily digest, or none)."""
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                user_set_preferences(user=user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                with translation.override(user.language):  # the page that follows speaks it
                    messages.success(request, _("Your preferences are saved."))
                response = redirect("accounts:preferences")
                _remember_language(response, user.language)
                return response
    else:
        language = user.language if user.language in dict(settings.LANGUAGES) else None
        form = PreferencesForm(
            initial={
                "language": language or translation.get_language(),
                "notification_mail": user.notification_mail,
            }
        )
    return render(
        request,
        "accounts/preferences.html",
        {
            "form": form,
            "two_factor_on": two_factor_enrolled(user),
            "two_factor_required": two_factor_required(user),
            "emergency_codes_left": emergency_codes_left(user),
            "code_form": CodeForm(),
        },
    )
