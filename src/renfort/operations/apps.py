from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running an installation: backups and restores (docs/operations.md). No models."""

    name = "renfort.operations"
    verbose_name = _("Operations")
