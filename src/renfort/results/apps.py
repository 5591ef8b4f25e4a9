from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "renfort.results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from renfort.results import (
            messages,  # noqa: F401  (registers the app's message kinds)
            receivers,
        )

        receivers.connect()  # cached figures go stale when their inputs change
