"""One shape for every status history (requests, missions, assignments)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.lib.limits import SHORT_TEXT, length_checks
from renfort.lib.messages import CODE_MAX, render


class StatusChangeBase(models.Model):
    """One step of a status history: from, to, when, by whom, and why.

    Why comes in two parts that never mix: ``note`` holds a person's own words (a decline
    or cancel reason, as typed); ``note_code`` and ``note_params`` hold what the application
    says (``lib.messages``), rendered in the reader's language (``note_text``). Subclasses
    redeclare ``from_status`` and ``to_status`` with their own choices.
    """

    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), max_length=SHORT_TEXT, blank=True)
    note_code = models.CharField(_("note code"), max_length=CODE_MAX, blank=True)
    note_params = models.JSONField(_("note parameters"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
        constraints = length_checks(note=SHORT_TEXT, note_code=CODE_MAX)

    @property
    def note_text(self) -> str:
        """What the application said (in the active language), then the person's words."""
        said = str(render(self.note_code, self.note_params)) if self.note_code else ""
        return "\n".join(part for part in (said, self.note) if part)
