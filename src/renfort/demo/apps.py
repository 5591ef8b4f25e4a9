from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "renfort.demo"
    verbose_name = _("Demo data")

    def ready(self) -> None:
        from renfort.demo import messages  # noqa: F401  (registers the app's message kinds)
