"""Personal API tokens: how a program acts for the person who made it (docs/api.md)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.lib.limits import length_checks

PREFIX_LENGTH = 8
NAME_MAX = 100


class ApiToken(models.Model):
    """A secret that signs API requests in as its owner.

    Only the SHA-256 hash of the secret is kept (the secret is shown once, when made); the
    short public ``prefix`` names the token in lists and on the command line. A token stops
    working when revoked, when expired, or when its owner's account is deactivated.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True)
    hashed = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["owner", "created_at"], name="api_token_owner")]
        constraints = length_checks(name=NAME_MAX, prefix=PREFIX_LENGTH, hashed=64)

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"

    def is_usable_at(self, moment: datetime.datetime) -> bool:
        """Not revoked, not expired at ``moment``."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or moment < self.expires_at
