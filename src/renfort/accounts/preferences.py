"""A signed-in user's own preferences."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import NotificationMail, User


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Remember the language the user reads Renfort in: pages after sign-in and their mail.

    Refuses a language Renfort is not translated into, and then writes nothing.
    """
    available = [code for code, _name in settings.LANGUAGES]
    if language not in available:
        raise ValidationError(
            _("Language: %(language)s is not one of %(available)s.")
            % {"language": language, "available": ", ".join(available)},
            code="language",
        )
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_set_preferences(*, user: User, language: str, notification_mail: str) -> User:
    """Save the user's language (pages after sign-in and their mail) and how their
    notifications come by e-mail: each as it arrives, one daily digest (``accounts.digest``),
    or none (the inbox only).

    Refuses an unknown language or choice, keyed by the field it names, and then writes
    nothing."""
    errors: dict[str, str] = {}
    if language not in [code for code, _name in settings.LANGUAGES]:
        errors["language"] = _("Language: choose English or French.")
    if notification_mail not in NotificationMail.values:
        errors["notification_mail"] = _(
            "Notifications by e-mail: choose one e-mail per notification, a daily digest or "
            "no e-mail."
        )
    if errors:
        raise ValidationError(errors)
    wanted = {"language": language, "notification_mail": notification_mail}
    locked = User.objects.select_for_update().get(pk=user.pk)
    changed = [name for name, value in wanted.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, wanted[name])
        setattr(user, name, wanted[name])
    if changed:
        locked.save(update_fields=changed)
    return user
