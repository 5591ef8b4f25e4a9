"""Calendar feeds: the page where a person creates, copies and revokes their feeds, and the
secret address a calendar application reads (no sign-in: the secret is the key; unknown or
revoked, 404)."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.feeds.forms import FeedForm
from renfort.feeds.models import CalendarFeed, FeedKind
from renfort.feeds.publishing import feed_publish
from renfort.feeds.selectors import feed_for_owner, feed_for_token, feed_kinds_for, feeds_of
from renfort.feeds.selectors import feed_target_for as target_for
from renfort.feeds.services import feed_create, feed_revoke
from renfort.lib.confirm import confirmation

ALL_ROLES = tuple(Role.values)
TARGET_FIELDS = {"expert": "expert_id", "organisation": "organisation_id"}


def _page(request: AuthedRequest, bound: FeedForm | None = None, status: int = 200) -> HttpResponse:
    forms = [
        bound
        if bound is not None and bound.feed_kind == kind
        else FeedForm(user=request.user, kind=kind)
        for kind in feed_kinds_for(request.user)
    ]
    feeds = [
        (feed, request.build_absolute_uri(reverse("feeds:feed_ical", args=[feed.token])))
        for feed in feeds_of(request.user)
    ]
    context = {"feeds": feeds, "forms": forms, "bound": bound}
    return render(request, "feeds/feed_list.html", context, status=status)


def _check_posted_target(request: AuthedRequest, kind: str) -> None:
    """A posted expert, administration or region that is not the person's to follow answers
    404 (403 for a kind their role may not take), as another party's object does; an empty
    one is left to the form, which names the field."""
    ids = {arg: request.POST.get(name, "") for name, arg in TARGET_FIELDS.items()}
    region = request.POST.get("region", "")
    if any(ids.values()) or region or kind == FeedKind.PLAN:
        target_for(
            request.user,
            kind,
            expert_id=int(ids["expert_id"]) if ids["expert_id"].isdigit() else -1,
            organisation_id=int(ids["organisation_id"]) if ids["organisation_id"].isdigit() else -1,
            region=region,
        )


@role_required(*ALL_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def feed_list(request: AuthedRequest) -> HttpResponseBase:
    """The person's feeds (address, copy button, revoke) and a form per kind they may take."""
    if request.method != "POST":
        return _page(request)
    kind = request.POST.get("kind", "")
    if kind not in FeedKind.values:
        messages.error(request, _("Choose which calendar feed to create."))
        return _page(request, status=400)
    if kind not in feed_kinds_for(request.user):
        raise PermissionDenied
    _check_posted_target(request, kind)
    form = FeedForm(request.POST, user=request.user, kind=kind)
    if form.is_valid():
        expert = form.cleaned_data.get("expert")
        organisation = form.cleaned_data.get("organisation")
        target = target_for(
            request.user,
            kind,
            expert_id=expert.pk if expert else None,
            organisation_id=organisation.pk if organisation else None,
            region=form.cleaned_data.get("region", ""),
        )
        try:
            feed_create(owner=request.user, target=target)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Your calendar feed is ready: copy its address into your calendar.")
            )
            return redirect("feeds:feed_list")
    return _page(request, form, status=400)


def _feed_name(feed: CalendarFeed) -> str:
    if feed.kind == FeedKind.PLAN:
        return str(feed.get_kind_display())
    return f"{feed.get_kind_display()}: {feed.target_label}"


@role_required(*ALL_ROLES)
@require_POST
def feed_revoke_view(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Revoke one of the person's feeds (another person's: 404), once confirmed."""
    feed = feed_for_owner(request.user, pk)
    step = confirmation(
        request,
        title=_("Revoke the feed %(feed)s?") % {"feed": _feed_name(feed)},
        consequence=_(
            "Its address stops answering at once; calendars that read it show nothing more. "
            "This cannot be undone: you would make a new feed, with a new address."
        ),
        action=_("Revoke the feed"),
        cancel_url=reverse("feeds:feed_list"),
    )
    if step.page is not None:
        return step.page
    feed_revoke(feed=feed)
    messages.success(request, _("The feed is revoked: its address no longer answers."))
    return redirect("feeds:feed_list")


@require_safe
def feed_ical(request: AuthedRequest, token: str) -> HttpResponseBase:
    """The feed's iCalendar file, for whoever holds the secret address."""
    feed = feed_for_token(token)
    body = feed_publish(feed, site_url=request.build_absolute_uri("/"), today=timezone.localdate())
    # An unchanged feed reads the same byte for byte (DTSTAMP is the last change): a
    # calendar that sends back the ETag gets a 304, not the file again.
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        unchanged = HttpResponseNotModified()
        unchanged["ETag"] = etag
        return unchanged
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Content-Disposition"] = 'inline; filename="renfort.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
