"""Every text column is as long as its field says, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import DataError, IntegrityError, models, transaction
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from renfort.assistance.models import Request
from renfort.lib.limits import length_errors
from renfort.roster.models import Expert
from renfort.testing import make_expert, make_request

APPS = ("accounts", "roster", "assistance", "missions", "agreements", "results")


def text_fields() -> list[tuple[type[models.Model], models.Field]]:
    """The text columns people fill: choice columns hold codes the services check. The field
    history's tables (``instance_type``: django-simple-history) only copy checked rows."""
    return [
        (model, field)
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not hasattr(model, "instance_type")
        for field in model._meta.local_concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


@pytest.mark.parametrize(
    ("model", "field"), text_fields(), ids=lambda x: getattr(x, "name", getattr(x, "__name__", ""))
)
def test_every_text_column_has_its_length_check(model, field) -> None:
    assert field.max_length, f"{model.__name__}.{field.name} has no max_length"
    wanted = models.CheckConstraint(
        condition=LessThanOrEqual(Length(field.name), field.max_length),
        name=f"{model._meta.app_label}_{model._meta.model_name}_{field.name}_length",
    )
    assert wanted in model._meta.constraints, (
        f"{model.__name__}.{field.name}: add length_checks({field.name}={field.max_length})"
    )


@pytest.mark.django_db
def test_the_database_refuses_over_long_text() -> None:
    request = make_request()
    expert = make_expert()
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.filter(pk=request.pk).update(needs="n" * 4001)
    # PostgreSQL's varchar refuses it before the check does (a DataError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Expert.objects.filter(pk=expert.pk).update(email="e" * 255)
    Request.objects.filter(pk=request.pk).update(needs="n" * 4000)
    Expert.objects.filter(pk=expert.pk).update(email="e" * 254)


def test_length_errors_name_the_field() -> None:
    assert length_errors(Request, title="t" * 200, needs="n" * 4001) == {
        "needs": "Needs: 4001 characters, at most 4000."
    }
