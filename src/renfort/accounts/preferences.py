"""A signed-in user's own preferences."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import User


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
