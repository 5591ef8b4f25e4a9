from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "renfort.missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        from renfort.missions import (
            messages,  # noqa: F401  (registers the app's message kinds)
            terms_messages,  # noqa: F401  (terms of reference)
        )
