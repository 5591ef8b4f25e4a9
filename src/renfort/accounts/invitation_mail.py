"""The invitation e-mail: written in the invitee's language when known (chosen by the inviter,
or the first working language of the expert record that Renfort speaks), else the inviter's;
sent after the invitation is saved, a failure logged without undoing it."""

from __future__ import annotations

import datetime
import logging
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from renfort.accounts.invitation_models import Invitation
from renfort.accounts.models import Role, User
from renfort.accounts.services import one_line

logger = logging.getLogger(__name__)


class ExpertRecord(Protocol):
    """What the invitation services read of a ``roster.Expert`` (accounts sits below roster in
    the layers, so it does not import it)."""

    pk: Any
    user_id: int | None
    home_administration_id: int
    first_name: str
    last_name: str
    email: str
    languages: list[str]


def invitation_language(language: str, expert: ExpertRecord | None, by: User) -> str:
    """The language of the invitation: the one chosen for the invitee, else the first working
    language of their expert record that Renfort speaks, else the inviter's."""
    spoken = dict(settings.LANGUAGES)
    candidates = [language, *(getattr(expert, "languages", None) or []), by.language]
    return next((c for c in candidates if c in spoken), settings.LANGUAGE_CODE)


def date_text(moment: datetime.datetime) -> str:
    """A date as people read it, in the active language."""
    return formats.date_format(timezone.localtime(moment).date(), "DATE_FORMAT")


def invitation_mail(invitation: Invitation, by: User, link: str) -> EmailMessage:
    """The invitation in the invitee's language."""
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        values = {
            "name": invitation.name,
            "inviter": by.get_full_name() or by.username,
            "inviter_organisation": by.organisation.name if by.organisation else "Renfort",
            "role": Role(invitation.role).label,
            "organisation": invitation.organisation.name,
            "date": date_text(invitation.expires_at),
            "email": invitation.email,
            "link": link,
        }
        subject = _("Your Renfort account: %(organisation)s") % values
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % values,
                _(
                    "%(inviter)s (%(inviter_organisation)s) invites you to Renfort, where "
                    "capacity-building missions are requested, planned and staffed, as "
                    "%(role)s of %(organisation)s."
                )
                % values,
                _(
                    "Choose your password with this link before %(date)s. It works once; "
                    "afterwards you sign in with your e-mail address, %(email)s:"
                )
                % values,
                link,
                _(
                    "If you did not expect this invitation, ignore this message: no account is "
                    "opened without you."
                ),
            ]
        )
    return EmailMessage(
        subject=one_line(subject),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )


def send_mail(mail: EmailMessage) -> None:
    try:
        mail.send()
    except Exception:  # the invitation is saved; it can be revoked and sent again
        logger.exception("Could not send the invitation mail to %s", mail.to)
