"""Imports (docs/imports.md): a file uploaded for import is kept with its checksum until it is
imported, so that the confirmation imports exactly the file that was previewed; the natural
keys the files give that the other apps' tables do not hold (an expert's staff number, a
request's reference in the member's own system) are kept beside them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation
from renfort.lib.limits import length_checks


class ImportKind(models.TextChoices):
    EXPERTS = "experts", _("Experts")
    ORGANISATIONS = "organisations", _("Organisations")
    REQUESTS = "requests", _("Requests for assistance")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Being checked")
    READY = "ready", _("Checked: ready to import")
    INVALID = "invalid", _("Not importable: errors to fix")
    IMPORTING = "importing", _("Being imported")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


# The job may still change: the page follows it.
WORKING_STATUSES = frozenset({ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.IMPORTING})


class ImportJob(models.Model):
    """One uploaded file: who uploaded it, of which kind, its checksum, and what the check
    (a dry run through the same services) and then the import found (``result``: counts,
    each row's outcome, each error as a code and parameters)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    file = models.FileField(_("file"), upload_to="imports/", blank=True)
    name = models.CharField(_("file name"), max_length=200)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["uploaded_by", "created_at"], name="import_by_user")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="import_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ImportKind.values), name="import_kind_known"
            ),
            *length_checks(name=200, checksum=64, language=8),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def working(self) -> bool:
        return self.status in WORKING_STATUSES


class ImportKey(models.Model):
    """A natural key a file gives that Renfort's own tables do not hold, and the row it names:
    an expert's staff number in their home administration, a request's reference in the
    submitting administration's own system (docs/imports.md, "Natural keys")."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    key = models.CharField(_("key"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object"))

    class Meta:
        verbose_name = _("import key")
        verbose_name_plural = _("import keys")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organisation", "key"], name="one_import_key_per_organisation"
            ),
            *length_checks(key=100),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.organisation_id} {self.key}"
