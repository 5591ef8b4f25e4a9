"""Terms of reference: the secretariat sends them to the beneficiaries, whose member focal
points confirm them for their administration (``missions.terms`` builds them)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Notification, Role, User
from renfort.accounts.services import notification_send
from renfort.lib.links import link_to
from renfort.missions.locking import lock_mission
from renfort.missions.models import Mission, MissionStatus
from renfort.missions.services.common import mission_params, secretariat_users
from renfort.missions.terms import (
    TERMS_CONFIRMABLE_STATUSES,
    Terms,
    terms_of,
    terms_standing,
    unconfirmed,
)
from renfort.missions.terms_models import TermsConfirmation


def terms_link(mission: Mission) -> str:
    return link_to("missions:terms", mission.pk, fallback=f"/missions/{mission.pk}/terms/")


def _status_error(mission: Mission) -> str | None:
    if mission.status in TERMS_CONFIRMABLE_STATUSES:
        return None
    return _(
        "Mission %(mission)s is %(status)s: its terms of reference are confirmed while it is "
        "scheduled (dates set, experts found), before it is confirmed."
    ) % {"mission": mission.reference, "status": MissionStatus(mission.status).label}


@transaction.atomic
def terms_confirm(*, mission: Mission, by: User) -> TermsConfirmation:
    """``by``, a member focal point of a beneficiary administration, confirms the terms of
    reference of ``mission`` as they are now, for their administration.

    The mission is scheduled; each administration confirms a version once. The mission is
    locked while the terms are read, so they cannot change between reading and confirming.
    When this was the last beneficiary to confirm, the secretariat is told.
    """
    mission = lock_mission(mission.pk)
    names = {"mission": mission.reference}
    beneficiaries = {org.pk: org for org in mission.beneficiaries.all()}
    if by.role != Role.MEMBER_FOCAL_POINT or by.organisation_id not in beneficiaries:
        raise ValidationError(
            _(
                "Terms of reference of mission %(mission)s: only a member focal point of a "
                "beneficiary administration can confirm them."
            )
            % names
        )
    if error := _status_error(mission):
        raise ValidationError(error)
    terms = terms_of(mission)
    organisation = beneficiaries[by.organisation_id]
    confirmed = _("%(org)s has already confirmed this version of the terms of reference.") % {
        "org": organisation.name
    }
    if TermsConfirmation.objects.filter(
        mission=mission, organisation=organisation, fingerprint=terms.fingerprint
    ).exists():
        raise ValidationError(confirmed)
    try:
        with transaction.atomic():
            confirmation = TermsConfirmation.objects.create(
                mission=mission,
                organisation=organisation,
                fingerprint=terms.fingerprint,
                confirmed_by=by,
            )
    except IntegrityError as exc:  # a colleague confirmed the same version at this moment
        raise ValidationError(confirmed) from exc
    if not unconfirmed(terms):
        notification_send(
            recipients=secretariat_users(),
            code="terms.confirmed_by_all",
            params={**mission_params(mission), "org": organisation.name},
            link=terms_link(mission),
        )
    return confirmation


def _waiting(terms: Terms) -> tuple[list[User], list[str]]:
    """The focal points to ask (of administrations that have not confirmed this version),
    and the names of those administrations that have nobody to ask."""
    waiting = [s.organisation for s in terms_standing(terms) if not s.confirmed]
    users = list(
        User.objects.filter(
            role=Role.MEMBER_FOCAL_POINT, is_active=True, organisation__in=waiting
        ).order_by("pk")
    )
    asked = {u.organisation_id for u in users}
    return users, [org.name for org in waiting if org.pk not in asked]


@transaction.atomic
def terms_send(*, mission: Mission, by: User) -> tuple[list[Notification], list[str]]:
    """The secretariat asks the beneficiaries that have not confirmed the current terms of
    reference of ``mission`` to read and confirm them: their member focal points are
    notified, with a link to the terms. Returns the notifications and the names of the
    administrations that have no member focal point to ask (the mission cannot be confirmed
    until one confirms). Refused when nobody is left to ask."""
    mission = lock_mission(mission.pk)
    if by.role != Role.SECRETARIAT_COORDINATOR:
        raise ValidationError(
            _("Terms of reference: only the secretariat sends them for confirmation.")
        )
    if error := _status_error(mission):
        raise ValidationError(error)
    users, nobody = _waiting(terms_of(mission))
    if not users and nobody:
        raise ValidationError(
            _(
                "Terms of reference of mission %(mission)s: %(names)s has no member focal "
                "point in Renfort to confirm them; add one first."
            )
            % {"mission": mission.reference, "names": ", ".join(nobody)}
        )
    if not users:
        raise ValidationError(
            _(
                "Every beneficiary administration has already confirmed the current terms of "
                "reference of mission %(mission)s."
            )
            % {"mission": mission.reference}
        )
    sent = notification_send(
        recipients=users,
        code="terms.ready",
        params=mission_params(mission),
        link=terms_link(mission),
    )
    return sent, nobody
