from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "renfort.assistance"
    verbose_name = _("Requests for assistance")

    def ready(self) -> None:
        from renfort.assistance import (
            consultation_messages,  # noqa: F401  (consultations)
            messages,  # noqa: F401  (registers the app's message kinds)
        )
