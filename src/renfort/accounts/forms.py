"""Forms of the accounts app: a person's own preferences."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import NotificationMail
from renfort.lib.forms import NamedErrorsForm

CHOOSE_LANGUAGE = _("Choose English or French.")
CHOOSE_MAIL = _("Choose one e-mail per notification, a daily digest or no e-mail.")


class PreferencesForm(NamedErrorsForm):
    """The language Renfort speaks to the person in, and how notifications come by e-mail."""

    language = forms.ChoiceField(
        label=_("Language of pages and e-mails"),
        choices=settings.LANGUAGES,
        error_messages={"required": CHOOSE_LANGUAGE, "invalid_choice": CHOOSE_LANGUAGE},
    )
    notification_mail = forms.ChoiceField(
        label=_("Notifications by e-mail"),
        help_text=_("Your inbox in Renfort always keeps every notification."),
        choices=NotificationMail.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_MAIL, "invalid_choice": CHOOSE_MAIL},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Each language in its own words, as the switcher shows them: "English", "Français".
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (code, str(get_language_info(code)["name_local"]).capitalize())
            for code, _name in settings.LANGUAGES
        ]
