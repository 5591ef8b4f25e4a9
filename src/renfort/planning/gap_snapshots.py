"""The worker's side of the pool gaps: compute them from the whole plan and store them.

``pool_gaps_refresh`` is the body of ``tasks.pool_gaps_refresh_task`` (queued by
``gap_refresh`` when an input changes) and is also called by the demo builder. The latest
snapshot is the one every page shows (``gap_selectors``); older ones are deleted.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from renfort.planning.gaps import GapInputs, pool_gaps
from renfort.planning.models import PoolGap, PoolGapRefresh, PoolGapSnapshot


def pool_gaps_refresh() -> PoolGapSnapshot:
    """Compute the pool gaps of every plannable mission against the current pool and store
    them as the latest snapshot.

    The waiting refresh request is cleared first, so that a change committed while this runs
    queues another refresh. When the inputs' fingerprint equals the latest snapshot's, only
    its time moves (nothing to recompute). ``computed_at`` is when the inputs were read.
    """
    PoolGapRefresh.objects.filter(pk=PoolGapRefresh.ONLY).update(queued_at=None)
    computed_at = timezone.now()
    inputs = GapInputs.load()
    fingerprint = inputs.fingerprint()
    latest = PoolGapSnapshot.objects.first()
    if latest is not None and latest.fingerprint == fingerprint:
        PoolGapSnapshot.objects.filter(pk=latest.pk, computed_at__lt=computed_at).update(
            computed_at=computed_at
        )
        latest.refresh_from_db()
        return latest
    gaps = pool_gaps(inputs)
    with transaction.atomic():
        snapshot = PoolGapSnapshot.objects.create(
            computed_at=computed_at,
            fingerprint=fingerprint,
            mission_count=len(inputs.missions),
            expert_count=len(inputs.in_pool),
        )
        PoolGap.objects.bulk_create(
            PoolGap(
                snapshot=snapshot,
                rank=rank,
                category=gap.category,
                requirements=[list(r) for r in gap.requirements],
                language=gap.language,
                month=gap.month,
                mission_count=gap.mission_count,
                missions=[list(m) for m in gap.missions],
                qualified=gap.qualified,
                near=[list(n) for n in gap.near],
            )
            for rank, gap in enumerate(gaps, start=1)
        )
        # A refresh that read the inputs earlier never replaces this one.
        PoolGapSnapshot.objects.exclude(pk=snapshot.pk).filter(
            computed_at__lte=computed_at
        ).delete()
    return snapshot
