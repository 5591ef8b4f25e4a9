from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _cache_table_create(using: str = "default", **kwargs: Any) -> None:
    """The shared cache's table (settings.CACHES, docs/deploy.md) is made by every
    ``renfort migrate``: ``createcachetable`` leaves an existing one alone."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class OperationsConfig(AppConfig):
    """Running an installation: backups and restores (docs/operations.md), the leases of the
    task workers and the shared cache's table (docs/deploy.md)."""

    name = "renfort.operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        post_migrate.connect(_cache_table_create, sender=self)
