"""Writes about accounts: invitations (create, accept, revoke) and (de)activating a login.

Who may invite whom into which role is one table, ``INVITATION_RULES``, written out in
``docs/security.md`` (a test checks that both say the same); ``ACCOUNT_MANAGERS`` says
whose accounts each role sees and deactivates. Every service refuses with a
``ValidationError`` naming the field and writes nothing when it refuses.

Lock order: the invitation, then the expert record (accept; create locks only the expert).
Missions' services lock experts, then missions, never an invitation: no circle.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.invitation_mail import (
    ExpertRecord,
    date_text,
    invitation_language,
    invitation_mail,
    send_mail,
)
from renfort.accounts.invitation_models import EMAIL_MAX, NAME_MAX, Invitation
from renfort.accounts.models import Organisation, OrganisationKind, Role, User

# The inviter's own organisation (never another one).
OWN = "own"
# Any organisation.
ALL = "all"

# Who may invite whom: {inviter's role: {role given: into which organisation}}, where the
# organisation is ``OWN`` (the inviter's own) or a kind of organisation (any of that kind).
# Nobody else invites; only the secretariat grants the secretariat role.
INVITATION_RULES: Mapping[str, Mapping[str, str]] = {
    Role.SECRETARIAT_COORDINATOR: {
        Role.SECRETARIAT_COORDINATOR: OWN,
        Role.REGIONAL_COORDINATOR: OrganisationKind.REGIONAL_OFFICE,
        Role.MEMBER_FOCAL_POINT: OrganisationKind.MEMBER_ADMINISTRATION,
        Role.DONOR_FOCAL_POINT: OrganisationKind.DONOR_AGENCY,
    },
    Role.MEMBER_FOCAL_POINT: {
        Role.MEMBER_FOCAL_POINT: OWN,
        Role.EXPERT: OWN,
    },
}

# Whose accounts each role sees on the People page and may deactivate or reactivate:
# ``ALL`` or ``OWN`` (the accounts of its own organisation). Nobody deactivates their own.
ACCOUNT_MANAGERS: Mapping[str, str] = {
    Role.SECRETARIAT_COORDINATOR: ALL,
    Role.MEMBER_FOCAL_POINT: OWN,
    Role.DONOR_FOCAL_POINT: OWN,
}


class IssuedInvitation(NamedTuple):
    """A new invitation, with its token and link: the only moment they exist in clear."""

    invitation: Invitation
    token: str
    link: str


def invitation_days() -> int:
    """How long an invitation link works (setting ``ACCOUNT_INVITATION_DAYS``, default 7)."""
    return int(getattr(settings, "ACCOUNT_INVITATION_DAYS", 7))


def token_hash(token: str) -> str:
    """What is stored of a token. The token carries 256 random bits, so an unsalted SHA-256
    is enough: nobody can guess a token from its hash or try them one by one."""
    return hashlib.sha256(token.encode()).hexdigest()


def _expert_model() -> type[models.Model]:
    # The invitation's relation names the expert model; no import of roster needed.
    model = Invitation._meta.get_field("expert").related_model
    assert isinstance(model, type)
    return model


# --- the rules ------------------------------------------------------------------------------


def roles_invitable_by(user: User) -> list[str]:
    """The roles ``user`` may give, in the table's order."""
    if not user.is_active:
        return []
    return list(INVITATION_RULES.get(user.role, {}))


def organisation_allowed(by: User, role: str, organisation: Organisation) -> bool:
    """Whether ``by`` may invite someone into ``organisation`` with ``role``."""
    target = INVITATION_RULES.get(by.role, {}).get(role)
    if target is None or not by.is_active:
        return False
    if target == OWN:
        return by.organisation_id is not None and organisation.pk == by.organisation_id
    return organisation.kind == target


def may_manage_account(by: User, user: User) -> bool:
    """Whether ``by`` may deactivate or reactivate ``user``'s login (never their own)."""
    scope = ACCOUNT_MANAGERS.get(by.role)
    if scope is None or not by.is_active or by.pk == user.pk:
        return False
    if scope == ALL:
        return True
    return by.organisation_id is not None and user.organisation_id == by.organisation_id


def may_manage_invitation(by: User, invitation: Invitation) -> bool:
    """Whether ``by`` may revoke ``invitation``: one ``by`` could have sent."""
    return invitation.invited_by_id == by.pk or (
        by.is_active
        and invitation.role in INVITATION_RULES.get(by.role, {})
        and organisation_allowed(by, invitation.role, invitation.organisation)
    )


def _email_taken(email: str) -> bool:
    return User.objects.filter(
        models.Q(username__iexact=email) | models.Q(email__iexact=email)
    ).exists()


# --- invitations ------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    by: User,
    organisation: Organisation,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "",
    expert: ExpertRecord | None = None,
    site_url: str = "",
) -> IssuedInvitation:
    """Invite a person to open an account in ``organisation`` with ``role``, if ``by`` may
    (``INVITATION_RULES``), and e-mail them a single-use link that expires after
    ``ACCOUNT_INVITATION_DAYS`` days, in ``language`` (the invitee's).

    ``expert``: for an expert invitation (required there, refused elsewhere), the expert
    record of ``organisation`` without a login that the account joins; its names and address
    fill those left blank. An expert record and its login stay linked for good.
    ``site_url`` (``https://host``) starts the link in the mail. The mail leaves when the
    transaction commits; the token is returned, never stored (only its hash).
    """
    email = (email or (expert.email if expert is not None else "")).strip().lower()
    first_name = (first_name or (expert.first_name if expert is not None else "")).strip()
    last_name = (last_name or (expert.last_name if expert is not None else "")).strip()
    language = invitation_language(language, expert, by)
    _hold(email, expert)
    errors = {
        field: [message]
        for field, message in (
            _role_problem(by, role, organisation),
            ("email", _email_problem(email)),
            *_name_problems(first_name, last_name),
            ("expert", _expert_problem(by, role, organisation, expert)),
        )
        if message
    }
    if errors:
        raise ValidationError(errors)

    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        invited_by=by,
        organisation=organisation,
        role=role,
        email=email,
        first_name=first_name,
        last_name=last_name,
        language=language,
        expert_id=expert.pk if expert is not None else None,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=invitation_days()),
    )
    link = site_url.rstrip("/") + reverse("accounts:invitation_accept", args=[token])
    mail = invitation_mail(invitation, by, link)
    transaction.on_commit(lambda: send_mail(mail))
    return IssuedInvitation(invitation, token, link)


def _hold(email: str, expert: ExpertRecord | None) -> None:
    """One invitation of an address or an expert at a time (the "one pending" checks): an
    advisory lock and the expert's row lock on PostgreSQL; SQLite's IMMEDIATE write lock."""
    if connection.vendor == "postgresql" and email:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"invitation:{email}"])
    if expert is not None:
        _expert_model()._default_manager.select_for_update().filter(pk=expert.pk).first()


def _role_problem(by: User, role: str, organisation: Organisation) -> tuple[str, str]:
    """(field, message) when ``by`` may not give ``role`` in ``organisation``, else a blank
    message."""
    allowed = roles_invitable_by(by)
    if not allowed:
        return "role", _("Role: your account cannot invite anyone.")
    if role not in allowed:
        label = Role(role).label if role in Role.values else role
        return "role", _(
            "Role: you cannot give the role “%(role)s”; you may give: %(allowed)s."
        ) % {
            "role": label,
            "allowed": ", ".join(str(Role(r).label) for r in allowed),
        }
    if organisation_allowed(by, role, organisation):
        return "organisation", ""
    target = INVITATION_RULES[by.role][role]
    if target == OWN:
        return "organisation", _("Organisation: you can invite a %(role)s only into %(own)s.") % {
            "role": Role(role).label,
            "own": by.organisation.name if by.organisation else "—",
        }
    return "organisation", _("Organisation: a %(role)s belongs to a %(kind)s, not to %(org)s.") % {
        "role": Role(role).label,
        "kind": OrganisationKind(target).label,
        "org": organisation.name,
    }


def _email_problem(email: str) -> str:
    if not email:
        return _("E-mail address: give the address the invitation goes to.")
    try:
        validate_email(email)
    except ValidationError:
        return _("E-mail address: “%(email)s” is not an address.") % {"email": email}
    if len(email) > EMAIL_MAX:
        return _("E-mail address: at most %(max)d characters.") % {"max": EMAIL_MAX}
    if _email_taken(email):
        return _(
            "E-mail address: an account with %(email)s exists already; its owner can sign in "
            "or ask for a new password."
        ) % {"email": email}
    pending = Invitation.objects.pending().filter(email__iexact=email).first()
    if pending is not None:
        return _(
            "E-mail address: %(email)s has an invitation pending until %(date)s; revoke it "
            "before inviting again."
        ) % {"email": email, "date": date_text(pending.expires_at)}
    return ""


def _name_problems(first_name: str, last_name: str) -> list[tuple[str, str]]:
    problems = []
    for field, value, label in (
        ("first_name", first_name, _("First name")),
        ("last_name", last_name, _("Last name")),
    ):
        if not value:
            problems.append((field, _("%(field)s: give it.") % {"field": label}))
        elif len(value) > NAME_MAX:
            problems.append(
                (
                    field,
                    _("%(field)s: at most %(max)d characters.") % {"field": label, "max": NAME_MAX},
                )
            )
    return problems


def _expert_problem(
    by: User, role: str, organisation: Organisation, expert: ExpertRecord | None
) -> str:
    """An expert invitation names an expert record of the organisation without a login (and
    without another invitation pending); no other invitation names one."""
    if expert is None:
        if role == Role.EXPERT and role in roles_invitable_by(by):
            return _("Expert: choose the expert record of %(org)s the account is for.") % {
                "org": organisation.name
            }
        return ""
    if role != Role.EXPERT:
        return _("Expert: only an expert invitation joins an expert record.")
    if expert.home_administration_id != organisation.pk:
        return _("Expert: this expert is not one of %(org)s's.") % {"org": organisation.name}
    if expert.user_id is not None:
        return _("Expert: %(name)s has an account already.") % {"name": _name(expert)}
    if Invitation.objects.pending().filter(expert_id=expert.pk).exists():
        return _("Expert: %(name)s has an invitation pending; revoke it before inviting again.") % {
            "name": _name(expert)
        }
    return ""


def _name(expert: ExpertRecord) -> str:
    return f"{expert.first_name} {expert.last_name}"


def _refused_link(invitation: Invitation | None, now: datetime.datetime) -> ValidationError | None:
    """Why the link of ``invitation`` no longer works, with a ``code`` the page reads."""
    if invitation is None:
        return ValidationError(
            _("This invitation link is not valid: check that it was copied whole."),
            code="unknown",
        )
    if invitation.used_at is not None:
        return ValidationError(
            _("This invitation was used already: sign in with your e-mail address."),
            code="used",
        )
    if invitation.revoked_at is not None:
        return ValidationError(
            _("This invitation was withdrawn: ask the person who invited you for a new one."),
            code="revoked",
        )
    if invitation.expires_at <= now:
        return ValidationError(
            _("This invitation expired on %(date)s: ask the person who invited you for a new one.")
            % {"date": date_text(invitation.expires_at)},
            code="expired",
        )
    return None


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token opens (whatever its state), or ``None``."""
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_link_problem(token: str) -> ValidationError | None:
    """Why a link does not work any more (``None`` while it does)."""
    return _refused_link(invitation_by_token(token), timezone.now())


def unsaved_user(invitation: Invitation) -> User:
    return User(
        username=invitation.email,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )


def password_problems(invitation: Invitation, password: str) -> list[str]:
    """Django's password validators on the password the invitee chose."""
    try:
        password_validation.validate_password(password, user=unsaved_user(invitation))
    except ValidationError as exc:
        return list(exc.messages)
    return []


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Open the account an invitation offers: the link must be known, unused, not revoked and
    not expired, and the password pass Django's validators.

    The invitation row is locked first, so two uses of one link at once open one account and
    refuse the other. The user gets the invitation's organisation, role and language; an
    expert invitation links the expert record (locked, and still without a login, still of the
    organisation). The invitation is marked used.
    """
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )
    refused = _refused_link(invitation, now)
    if refused is not None:
        raise refused
    assert invitation is not None
    problems = password_problems(invitation, password)
    if problems:
        raise ValidationError({"password": [_("Password: %(why)s") % {"why": p} for p in problems]})
    if _email_taken(invitation.email):
        raise ValidationError(
            _(
                "An account with %(email)s exists already: sign in with it, or ask for a new "
                "password."
            )
            % {"email": invitation.email},
            code="taken",
        )
    expert: Any = None
    experts = _expert_model()._default_manager
    if invitation.role == Role.EXPERT:
        if invitation.expert_id is not None:
            expert = experts.select_for_update().filter(pk=invitation.expert_id).first()
        if (
            expert is None
            or expert.user_id is not None
            or expert.home_administration_id != invitation.organisation_id
        ):
            raise ValidationError(
                _(
                    "The expert record of %(name)s has an account already or moved to another "
                    "administration: ask the person who invited you for a new invitation."
                )
                % {"name": invitation.name},
                code="expert",
            )
    user = unsaved_user(invitation)
    user.organisation = invitation.organisation
    user.role = invitation.role
    user.language = invitation.language or settings.LANGUAGE_CODE
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError as exc:  # the same address accepted through another invitation
        raise ValidationError(
            _("An account with %(email)s exists already: sign in with it.")
            % {"email": invitation.email},
            code="taken",
        ) from exc
    if expert is not None:
        expert.user = user
        expert.save(update_fields=["user"])
    invitation.used_at = now
    invitation.user = user
    invitation.save(update_fields=["used_at", "user"])
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw an invitation not yet used: its link stops working at once."""
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    )
    if not may_manage_invitation(by, invitation):
        raise ValidationError(_("You cannot revoke this invitation."))
    if invitation.used_at is not None:
        raise ValidationError(
            _("The invitation of %(name)s was used already: deactivate the account instead.")
            % {"name": invitation.name}
        )
    if invitation.revoked_at is not None:
        raise ValidationError(
            _("The invitation of %(name)s is revoked already.") % {"name": invitation.name}
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


# --- accounts ---------------------------------------------------------------------------------


def _account_change(user: User, by: User, active: bool) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if by.pk == user.pk:
        raise ValidationError(_("You cannot deactivate or reactivate your own account."))
    if not may_manage_account(by, user):
        raise ValidationError(_("You cannot change the account of %(name)s.") % {"name": user})
    if user.is_active == active:
        raise ValidationError(
            (
                _("The account of %(name)s is active already.")
                if active
                else _("The account of %(name)s is deactivated already.")
            )
            % {"name": user}
        )
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """Close a login (``is_active`` off): its owner can no longer sign in, and an open session
    ends at its next request. Nothing else changes: an expert stays in the pool."""
    return _account_change(user, by, active=False)


@transaction.atomic
def user_reactivate(*, user: User, by: User) -> User:
    """Open a deactivated login again (same password as before)."""
    return _account_change(user, by, active=True)
