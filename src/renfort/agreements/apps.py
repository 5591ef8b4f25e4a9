from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "renfort.agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from renfort.agreements import messages  # noqa: F401  (registers the app's message kinds)
