from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "renfort.privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from renfort.privacy import messages  # noqa: F401  (registers the app's message kinds)
