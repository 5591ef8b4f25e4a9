"""The reminders sent, one row each, so that a reminder goes out once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.lib.limits import length_checks
from renfort.lib.messages import CODE_MAX

KEY_MAX = 120


class ReminderSent(models.Model):
    """A reminder that went out. ``key`` names what it was about (``report:12:40``: the report
    of expert 40 on mission 12); the unique key is what keeps the daily job from sending it
    twice, also when two runs overlap."""

    key = models.CharField(_("key"), max_length=KEY_MAX, unique=True)
    code = models.CharField(_("message code"), max_length=CODE_MAX)
    sent_on = models.DateField(_("sent on"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_on", "key"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = length_checks(key=KEY_MAX, code=CODE_MAX)

    def __str__(self) -> str:
        return f"{self.key} ({self.sent_on})"
