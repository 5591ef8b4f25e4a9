from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "renfort.imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from renfort.imports import messages  # noqa: F401  (registers the message kinds)
