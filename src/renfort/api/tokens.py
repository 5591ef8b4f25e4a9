"""Personal API tokens: made, listed and revoked by their owner; checked on every API request.

A token reads ``rnf_<prefix>_<secret>``. Only its SHA-256 hash is stored, so the database
never holds a usable secret; the prefix names it in lists and on the command line.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.api.models import NAME_MAX, PREFIX_LENGTH, ApiToken
from renfort.lib.limits import length_errors

TOKEN_START = "rnf_"
# The longest life a token may be given, in days; without a number it lasts until revoked.
MAX_EXPIRES_DAYS = 3650
# ``last_used_at`` is written at most this often per token: no write on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and the secret to show once."""

    token: ApiToken
    secret: str


def token_create_errors(
    *, owner: User, name: str, expires_days: int | None, two_factor_verified: bool
) -> dict[str, str]:
    """What stops ``owner`` making this token, keyed by field."""
    errors: dict[str, str] = {}
    if not owner.is_active:
        errors["owner"] = _("Owner: %(user)s is deactivated.") % {"user": owner.username}
    elif owner.role == Role.SECRETARIAT_COORDINATOR and not two_factor_verified:
        errors["owner"] = _(
            "A secretariat account makes API tokens only after signing in with two-factor "
            "sign-in: set it up or pass its second step, then come back."
        )
    if not name.strip():
        errors["name"] = _("Name: say what the token is for, such as “HR roster sync”.")
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRES_DAYS:
        errors["expires_days"] = _(
            "Expires after: %(days)s days is not between 1 and %(max)d days."
        ) % {"days": expires_days, "max": MAX_EXPIRES_DAYS}
    errors.update(length_errors(ApiToken, name=name.strip()))
    return errors


@transaction.atomic
def token_create(
    *,
    owner: User,
    name: str,
    expires_days: int | None = None,
    two_factor_verified: bool,
) -> NewToken:
    """Make a personal API token for ``owner``, who must be active; a secretariat account
    must have passed two-factor sign-in in this session (``two_factor_verified``; the command
    line, run by whoever runs the server, passes True). ``expires_days``: None lasts until
    revoked. Returns the row and the secret, which is never stored and cannot be shown again.
    """
    errors = token_create_errors(
        owner=owner, name=name, expires_days=expires_days, two_factor_verified=two_factor_verified
    )
    if errors:
        raise ValidationError(errors)
    while True:
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = None
    if expires_days is not None:
        expires_at = timezone.now() + datetime.timedelta(days=expires_days)
    token = ApiToken.objects.create(
        owner=owner,
        name=name.strip()[:NAME_MAX],
        prefix=prefix,
        hashed=token_hash(secret),
        expires_at=expires_at,
    )
    return NewToken(token, secret)


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User | None) -> ApiToken:
    """Revoke ``token`` for good. ``by`` must be its owner (None: the command line). Revoking
    a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if by is not None and token.owner_id != by.pk:
        raise Http404("No such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The tokens ``user`` made, newest first (each person sees only their own)."""
    return ApiToken.objects.filter(owner=user).order_by("-created_at", "-id")


def token_for_owner(user: User, pk: int) -> ApiToken:
    try:
        return tokens_of(user).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404("No such token.") from exc


def token_authenticate(secret: str) -> ApiToken | None:
    """The usable token ``secret`` opens, with its owner, or None (unknown, revoked,
    expired, or the owner deactivated). Notes the time of use at most once a minute."""
    if not secret.startswith(TOKEN_START) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("owner", "owner__organisation")
        .filter(hashed=token_hash(secret))
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_usable_at(now) or not token.owner.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
