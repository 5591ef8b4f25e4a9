"""Two people import the same file at the same moment: the second finds what the first
created, so nothing is created twice (docs/imports.md, "Two imports at once"). Meaningful on
PostgreSQL (run with DATABASE_URL set); on SQLite the IMMEDIATE transactions serialise them."""

from __future__ import annotations

from functools import partial

import pytest

from renfort.assistance.models import Request
from renfort.imports.jobs import import_job_apply, import_job_check
from renfort.imports.models import ImportJob, ImportStatus
from renfort.imports.services import import_job_create
from renfort.imports.tests.helpers import (
    EXPERT_HEADERS,
    REQUEST_HEADERS,
    csv_file,
    expert_row,
    request_row,
)
from renfort.missions.tests.racing import race
from renfort.roster.models import Expert
from renfort.testing import Personas, make_personas

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROUNDS = 5


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _checked(user: object, kind: str, content: bytes) -> ImportJob:
    job = import_job_create(user=user, kind=kind, name="f.csv", content=content)  # type: ignore[arg-type]
    assert import_job_check(job_id=job.pk) == ImportStatus.READY, job.result
    return job


def test_two_imports_of_one_expert_create_one(p: Personas) -> None:
    for i in range(ROUNDS):
        content = csv_file(EXPERT_HEADERS, [expert_row(email=f"race{i}@example.org")])
        first = _checked(p.member, "experts", content)
        second = _checked(p.secretariat, "experts", content)
        result = race(
            partial(import_job_apply, job_id=first.pk), partial(import_job_apply, job_id=second.pk)
        )
        assert not result.unexpected, result.unexpected
        assert sorted(result.results) == [ImportStatus.DONE, ImportStatus.DONE]  # type: ignore[type-var]
        assert Expert.objects.filter(email=f"race{i}@example.org").count() == 1


def test_two_imports_of_one_request_submit_it_once(p: Personas) -> None:
    for i in range(ROUNDS):
        content = csv_file(REQUEST_HEADERS, [request_row(f"RACE-{i}")])
        first = _checked(p.member, "requests", content)
        second = _checked(p.member, "requests", content)
        result = race(
            partial(import_job_apply, job_id=first.pk), partial(import_job_apply, job_id=second.pk)
        )
        assert not result.unexpected, result.unexpected
        assert Request.objects.count() == i + 1
