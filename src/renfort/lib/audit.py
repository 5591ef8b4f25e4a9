"""Field-level history (the audit trail), beside each object's status history.

Every audited model declares ``field_history = AuditedHistory()``
(django-simple-history). A historical row records who changed what and when: the signed-in
person (``HistoryRequestMiddleware`` for pages, ``acting_as(user)`` for services that are given
``by=``) or, for background tasks and commands, a short actor text such as
``"task:pool_gaps_refresh"`` (``acting_as("task:...")``). Status fields are never recorded here:
the status history already records them, and a save that changed only excluded fields writes
no row. docs/audit.md says what is recorded and what is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from renfort.lib.actor import ACTOR_MAX, _actor, _user, acting_as, current_actor

M = TypeVar("M", bound=models.Model)
__all__ = ["BASELINE", "AuditedHistory", "acting_as", "create_all", "current_actor", "history_user"]

# A row recorded just before the first change of an object created without history (bulk
# creation: the demo, imports): it holds the values before that change and is never shown.
BASELINE = "baseline"


class AuditRecord(models.Model):
    """What every historical row adds to django-simple-history's: the task or command that
    made the change when no person did."""

    history_actor = models.CharField(max_length=ACTOR_MAX, blank=True, default=current_actor)

    class Meta:
        abstract = True


class AuditedHistory(HistoricalRecords):
    """``HistoricalRecords`` that names tasks and commands, skips saves that changed no
    recorded field and records a baseline before the first change of an object created
    without history."""

    def __init__(self, *, excluded_fields: list[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("bases", [AuditRecord])
        super().__init__(excluded_fields=excluded_fields or [], **kwargs)

    def fields_included(self, model: Any) -> list[Any]:
        """Every field but the excluded ones, the ``status`` field and the reason given with
        a status change (``*_reason``: the status history records both), and the fields no
        person edits (timestamps, ranges the application computes)."""
        return [
            field
            for field in super().fields_included(model)
            if field.editable and field.name != "status" and not field.name.endswith("_reason")
        ]

    def finalize(self, sender: Any, **kwargs: Any) -> None:
        if sender is not self.cls:
            return
        super().finalize(sender, **kwargs)
        pre_save.connect(self.pre_save, sender=sender, weak=False)

    def _tracked(self, instance: models.Model) -> list[str]:
        return [f.attname for f in self.fields_included(instance)]

    def pre_save(self, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
        """Remember the last recorded values (one query), or skip at once when the save
        names only fields that are not recorded."""
        instance.__dict__.pop("_audit_last", None)
        instance.__dict__.pop("_audit_skip", None)
        if raw or instance._state.adding or instance.pk is None:
            return
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        tracked = self._tracked(instance)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            names = {getattr(instance._meta.get_field(n), "attname", n) for n in update_fields}
            if not names & set(tracked):
                instance.__dict__["_audit_skip"] = True
                return
        history = getattr(type(instance), self.manager_name).model
        last = (
            history.objects.filter(**{instance._meta.pk.attname: instance.pk})
            .order_by("-history_date", "-history_id")
            .values(*tracked)
            .first()
        )
        if last is None:
            last = type(instance)._base_manager.filter(pk=instance.pk).values(*tracked).first()
            if last is None:
                return
            baseline = history(
                history_date=timezone.now(),
                history_type="~",
                history_change_reason=BASELINE,
                history_user=None,
                history_actor="",
                **last,
            )
            baseline.save()
        instance.__dict__["_audit_last"] = last

    def post_save(self, instance: Any, created: bool, using: Any = None, **kwargs: Any) -> None:
        if instance.__dict__.pop("_audit_skip", False):
            return
        last = instance.__dict__.pop("_audit_last", None)
        if (
            not created
            and last is not None
            and all(last[a] == getattr(instance, a) for a in self._tracked(instance))
        ):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def get_history_user(self, instance: Any) -> Any:
        if hasattr(instance, "_history_user"):
            return instance._history_user
        return history_user()


def history_user() -> Any:
    """The person making changes now: the one named by ``acting_as``, else the signed-in
    person of the request being answered (None for tasks and commands)."""
    user = _user.get()
    if user is not None and getattr(user, "pk", None) is not None:
        return user
    if _actor.get():
        return None
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def create_all(model: type[M], objs: Iterable[M]) -> list[M]:
    """``bulk_create`` that records each new row's creation in its field history, naming who
    creates them (services that write many rows at once: skills, slot requirements)."""
    return list(bulk_create_with_history(list(objs), model, default_user=history_user()))
