from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "renfort.accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        # The sign-in receivers (session clocks, second step still to pass).
        from renfort.accounts import middleware  # noqa: F401
