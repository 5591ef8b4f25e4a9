"""When something the results pages read changes, their cached figures go stale
(``figures.cache``): a save or delete of any input raises the results version once the
change commits. The receivers live in results, which may import every app they watch."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from renfort.accounts.models import Organisation
from renfort.agreements.models import Agreement, AgreementParty, BudgetLine, MissionFunding
from renfort.assistance.models import Request
from renfort.missions.models import Assignment, Mission, Slot, SlotRequirement
from renfort.results.figures.cache import results_changed_on_commit
from renfort.results.models import (
    Evaluation,
    ExpertRating,
    FollowUpAction,
    Indicator,
    IndicatorActual,
    MissionDelivery,
    MissionReport,
    Objective,
)
from renfort.roster.models import Expert

INPUTS: tuple[type[models.Model], ...] = (
    Organisation,
    Expert,
    Request,
    Mission,
    Slot,
    SlotRequirement,
    Assignment,
    Agreement,
    AgreementParty,
    BudgetLine,
    MissionFunding,
    MissionDelivery,
    MissionReport,
    FollowUpAction,
    Evaluation,
    ExpertRating,
    Objective,
    Indicator,
    IndicatorActual,
)


def _changed(sender: type[models.Model], **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    results_changed_on_commit()


def _m2m_changed(sender: type[models.Model], action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        results_changed_on_commit()


def connect() -> None:
    for model in INPUTS:
        uid = f"results-figures-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
    for model in (Mission, Request):
        for field in model._meta.many_to_many:
            through = getattr(model, field.name).through
            m2m_changed.connect(
                _m2m_changed,
                sender=through,
                dispatch_uid=f"results-figures-{through._meta.label_lower}",
            )
