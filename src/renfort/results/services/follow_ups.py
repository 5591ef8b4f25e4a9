"""Follow-up actions are tracked to done on their own, whatever the mission's status."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import OrganisationKind, User
from renfort.lib.dates import out_of_range
from renfort.lib.limits import length_errors
from renfort.results.models import FollowUpAction, FollowUpStatus
from renfort.results.participants import marks_follow_ups_of
from renfort.results.services.notices import notify_follow_up_done


@transaction.atomic
def follow_up_done(
    *,
    action: FollowUpAction,
    by: User,
    note: str,
    done_on: datetime.date | None = None,
) -> FollowUpAction:
    """Mark an open follow-up action done, saying what was done (``note``, required), on
    ``done_on`` (default today; not in the future). Its owner's people (a beneficiary's focal
    points, or the secretariat's coordinators) mark it, and any secretariat coordinator. The
    secretariat and the report's author hear of it."""
    today = timezone.localdate()
    done_on = done_on or today
    # Locked, so that two people marking it at once do it once: the second finds it done.
    action = (
        FollowUpAction.objects.select_for_update(of=("self",))
        .select_related("owner", "mission", "report__author__user")
        .get(pk=action.pk)
    )
    errors: dict[str, str] = {}
    if not marks_follow_ups_of(by, action.owner):
        errors["by"] = (
            _("Follow-up action: only a secretariat coordinator marks this action done.")
            if action.owner.kind == OrganisationKind.SECRETARIAT
            else _("Follow-up action: only %(owner)s or the secretariat marks this action done.")
            % {"owner": action.owner}
        )
    if action.status == FollowUpStatus.DONE:
        errors["action"] = _(
            "Follow-up action: it was marked done on %(day)s already (by %(who)s)."
        ) % {"day": action.done_on, "who": action.done_by or "–"}
    if not note.strip():
        errors["note"] = _("What was done: say what was done.")
    if too_long := length_errors(FollowUpAction, done_note=note.strip()):
        errors["note"] = too_long["done_note"]
    if dates := out_of_range(done_on=(_("Done on"), done_on)):
        errors.update(dates)
    elif done_on > today:
        errors["done_on"] = _("Done on: %(day)s is after today (%(today)s).") % {
            "day": done_on,
            "today": today,
        }
    if errors:
        raise ValidationError(errors)
    action.status = FollowUpStatus.DONE
    action.done_on = done_on
    action.done_by = by
    action.done_note = note.strip()
    action.save(update_fields=["status", "done_on", "done_by", "done_note"])
    notify_follow_up_done(action)
    return action
