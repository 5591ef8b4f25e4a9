"""Writing a year of the history in bulk, parents before children: the pks ``bulk_create``
sets on the parents are copied onto their children first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from renfort.accounts.models import Notification, ReferenceCounter
from renfort.assistance.models import Request, RequestStatusChange
from renfort.demo.history_builder import BATCH, RS, HistoryBuilder
from renfort.lib.history import StatusChangeBase
from renfort.missions.models import (
    Assignment,
    AssignmentStatusChange,
    Mission,
    MissionStatusChange,
    Slot,
    SlotRequirement,
)
from renfort.results.models import Evaluation, ExpertRating, MissionDelivery, MissionReport


def write_year(builder: HistoryBuilder, year: int) -> None:
    """Write the rows of ``year`` drawn so far, and its reference counters."""
    rows = builder.rows
    requests: list[Request] = rows.write(Request)
    missions: list[Mission] = rows.write(Mission)
    slots, assignments = _write_staffing(builder, missions)
    _write_links(builder, requests, missions)
    _write_status_changes(builder)
    rows.write(MissionDelivery)
    builder.counts["mission reports"] += len(rows.write(MissionReport))
    evaluations: list[Evaluation] = rows.write(Evaluation)
    for e in evaluations:
        for r in e._ratings:  # type: ignore[attr-defined]
            r.evaluation = e
            rows.add(r)
    rows.write(ExpertRating)
    for n in rows.rows[Notification]:
        assert isinstance(n, Notification)
        about = n._about  # type: ignore[attr-defined]
        n.link = n.link.format(request=about.pk, mission=about.pk)
    notifications = rows.write(Notification)
    for prefix, last in (("R", builder.request_no), ("M", builder.mission_no)):
        ReferenceCounter.objects.update_or_create(prefix=prefix, year=year, defaults={"last": last})
    builder.counts["requests"] += len(requests)
    builder.counts["missions"] += len(missions)
    builder.counts["slots"] += len(slots)
    builder.counts["assignments"] += len(assignments)
    builder.counts["evaluations"] += len(evaluations)
    builder.counts["notifications"] += len(notifications)
    builder.status_changes = []


def _write_staffing(
    builder: HistoryBuilder, missions: list[Mission]
) -> tuple[list[Slot], list[Assignment]]:
    """The slots of the written ``missions``, their requirements and their assignments."""
    rows = builder.rows
    for m in missions:
        for s in m._slots:  # type: ignore[attr-defined]
            s.mission_id = m.pk
    slots: list[Slot] = rows.write(Slot)
    for s in slots:
        for topic, level in s._requirements.items():  # type: ignore[attr-defined]
            rows.add(SlotRequirement(slot=s, topic=builder.ctx.topics[topic], level=level))
    rows.write(SlotRequirement)
    for a in rows.rows[Assignment]:
        a.slot_id = a.slot.pk  # type: ignore[attr-defined]
    assignments: list[Assignment] = rows.write(Assignment)
    return slots, assignments


def _write_links(builder: HistoryBuilder, requests: list[Request], missions: list[Mission]) -> None:
    """The many-to-many rows: administrations and topics of requests, beneficiaries and
    requests of missions."""
    through: list[tuple[Any, str, str, Sequence[models.Model], str]] = [
        (Request.administrations.through, "request_id", "organisation_id", requests, "_orgs"),
        (
            Mission.beneficiaries.through,
            "mission_id",
            "organisation_id",
            missions,
            "_beneficiaries",
        ),
    ]
    for model, left, right, owners, attr in through:
        model._default_manager.bulk_create(
            [model(**{left: o.pk, right: x.pk}) for o in owners for x in getattr(o, attr)],
            batch_size=BATCH,
        )
    Request.topics.through.objects.bulk_create(
        [
            Request.topics.through(request_id=r.pk, topic_id=builder.ctx.topics[t].pk)
            for r in requests
            for t in r._topics  # type: ignore[attr-defined]
        ],
        batch_size=BATCH,
    )
    Mission.requests.through.objects.bulk_create(
        [
            Mission.requests.through(mission_id=m.pk, request_id=r.pk)
            for m in missions
            for r in m._requests  # type: ignore[attr-defined]
        ],
        batch_size=BATCH,
    )


def _write_status_changes(builder: HistoryBuilder) -> None:
    """The status histories of the year's requests, missions and assignments."""
    history_models = {
        Request: (RequestStatusChange, "request"),
        Mission: (MissionStatusChange, "mission"),
        Assignment: (AssignmentStatusChange, "assignment"),
    }
    for owner, steps in builder.status_changes:
        model, name = history_models[type(owner)]
        for from_status, to_status, at, code, params, note in steps:
            row: StatusChangeBase = model(
                **{name: owner},
                from_status=from_status,
                to_status=to_status,
                at=at,
                # The focal point submits and withdraws; the secretariat does the rest.
                by=owner.focal_point
                if type(owner) is Request and to_status in {RS.SUBMITTED, RS.WITHDRAWN}
                else builder.coordinator,
                note=note,
                note_code=code,
                note_params=params,
            )
            builder.rows.add(row)
    for model, _ in history_models.values():
        builder.counts["status changes"] += len(builder.rows.write(model))
