from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "renfort.planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from renfort.planning import (
            messages,  # noqa: F401  (registers the app's message kinds)
            receivers,
            relaxation_messages,  # noqa: F401  (and those of the relaxations)
            run_messages,  # noqa: F401  (and those of a run: left out, failed)
        )

        receivers.connect()  # inputs of the pool gaps queue their refresh
