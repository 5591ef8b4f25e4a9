"""Calendar feeds (RFC 5545): a person's secret addresses, and the sequence of each mission's
event (docs/api.md, "Calendar feeds")."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation, Region, User
from renfort.missions.models import Mission
from renfort.roster.models import Expert


class FeedKind(models.TextChoices):
    EXPERT = "expert", _("An expert's missions")
    MEMBER = "member", _("A member administration's missions")
    REGION = "region", _("A region's missions")
    DONOR = "donor", _("The missions a donor funds")
    PLAN = "plan", _("The whole plan")


def feed_token(nonce: str) -> str:
    """The secret of a feed's address, derived from its stored nonce and ``SECRET_KEY``: the
    database alone does not give the addresses away, and the page can show them again."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"renfort-feed:{nonce}".encode(), hashlib.sha256
    ).hexdigest()
    return digest[:48]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A feed belongs to its owner and shows only what the owner may see when it is read."""

    owner = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="calendar_feeds", verbose_name=_("owner")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FeedKind.choices)
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("expert")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    region = models.CharField(_("region"), max_length=4, choices=Region.choices, blank=True)
    nonce = models.CharField(max_length=64, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="expert", expert__isnull=False)
                    | models.Q(kind__in=["member", "donor"], organisation__isnull=False)
                    | (models.Q(kind="region") & ~models.Q(region=""))
                    | models.Q(kind="plan")
                ),
                name="calendar_feed_has_its_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.owner})"

    @property
    def token(self) -> str:
        return feed_token(self.nonce)

    @property
    def target_label(self) -> str:
        """What the feed follows, in the reader's language."""
        if self.kind == FeedKind.EXPERT and self.expert is not None:
            return f"{self.expert.first_name} {self.expert.last_name}"
        if self.organisation is not None:
            return self.organisation.name
        if self.kind == FeedKind.REGION:
            return str(Region(self.region).label) if self.region in Region.values else ""
        return str(_("All missions"))


class MissionFeedState(models.Model):
    """What the feeds last published of a mission: a fingerprint of its event and the
    event's SEQUENCE, raised once each time the fingerprint changes (compare-and-set: two
    fetches at once raise it once)."""

    mission = models.OneToOneField(
        Mission, on_delete=models.CASCADE, primary_key=True, related_name="feed_state"
    )
    fingerprint = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mission feed state")
        verbose_name_plural = _("mission feed states")

    def __str__(self) -> str:
        return f"{self.mission_id}: {self.sequence}"
