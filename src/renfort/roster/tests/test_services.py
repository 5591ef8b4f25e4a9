from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from renfort.missions.models import AssignmentStatus
from renfort.missions.services import unavailability_add, unavailability_remove
from renfort.roster.models import ReleaseStatus
from renfort.roster.services import (
    accreditation_add,
    expert_create,
    expert_release_set,
    expert_update_profile,
)
from renfort.testing import (
    Personas,
    make_assignment,
    make_user,
    next_year,
    persona_mission,
    table_state,
    topic,
)


def create_args(p: Personas, **overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "home_administration": p.admin_b,
        "first_name": "Marie",
        "last_name": "Curie",
        "email": "marie@example.org",
        "categories": ["specialized_trainer"],
        "languages": ["fr", "en"],
        "released_days_per_year": 20,
        "skills": {"valuation": 4, "origin": 2},
    }
    args.update(overrides)
    return args


@pytest.mark.django_db
def test_expert_create(personas: Personas) -> None:
    expert = expert_create(**create_args(personas))
    assert expert.release_status == ReleaseStatus.PENDING
    assert {(s.topic.code, s.level) for s in expert.skills.all()} == {
        ("valuation", 4),
        ("origin", 2),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"categories": []}, "categories", "at least one category"),
        ({"categories": ["wizard"]}, "categories", "wizard is not an expert category"),
        ({"languages": []}, "languages", "at least one working language"),
        ({"languages": ["FRA"]}, "languages", "FRA is not an ISO 639-1 code"),
        ({"skills": {"alchemy": 2}}, "skills", "unknown topic alchemy"),
        ({"skills": {"valuation": 5}}, "skills", "level of valuation must be between 1 and 4"),
        ({"released_days_per_year": 400}, "released_days_per_year", "400 is not between 0 and 366"),
        ({"email": "nope"}, "email", "nope is not an email address"),
        ({"first_name": ""}, "first_name", "First name"),
    ],
)
def test_expert_create_refuses_bad_input(personas: Personas, overrides, field, text) -> None:
    before = table_state()
    with pytest.raises(ValidationError) as exc:
        expert_create(**create_args(personas, **overrides))
    assert text in " ".join(exc.value.message_dict[field])
    assert table_state() == before


@pytest.mark.django_db
def test_expert_create_refuses_a_donor_as_home(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        expert_create(**create_args(personas, home_administration=personas.donor_agency))
    assert "is not a member administration" in str(exc.value)


@pytest.mark.django_db
def test_expert_create_refuses_a_user_who_is_not_an_expert_or_already_one(
    personas: Personas,
) -> None:
    with pytest.raises(ValidationError) as exc:
        expert_create(**create_args(personas, user=personas.member))
    assert "does not have the expert role" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        expert_create(**create_args(personas, user=personas.expert_user))
    assert "already has an expert profile" in str(exc.value)
    fresh = make_user("expert", personas.admin_b)
    assert expert_create(**create_args(personas, user=fresh)).user == fresh


@pytest.mark.django_db
def test_profile_update_replaces_skills(personas: Personas) -> None:
    expert_update_profile(expert=personas.expert, languages=["en"], skills={"transit": 1})
    personas.expert.refresh_from_db()
    assert personas.expert.languages == ["en"]
    assert [s.topic.code for s in personas.expert.skills.all()] == ["transit"]
    before = table_state()
    with pytest.raises(ValidationError):
        expert_update_profile(expert=personas.expert, email="bad", skills={"aeo": 3})
    assert table_state() == before


@pytest.mark.django_db
def test_unavailability_add_and_remove(personas: Personas) -> None:
    period = unavailability_add(expert=personas.expert, start=next_year(7, 1), end=next_year(7, 31))
    assert personas.expert.unavailable.count() == 1
    unavailability_remove(unavailability=period, by=personas.expert_user)
    assert personas.expert.unavailable.count() == 0
    period.refresh_from_db()  # withdrawn, not deleted
    assert period.withdrawn_at is not None
    assert period.withdrawn_by == personas.expert_user


@pytest.mark.django_db
def test_unavailability_end_before_start(personas: Personas) -> None:
    before = table_state()
    with pytest.raises(ValidationError) as exc:
        unavailability_add(expert=personas.expert, start=next_year(7, 2), end=next_year(7, 1))
    assert "is before the first day" in str(exc.value)
    assert table_state() == before


@pytest.mark.django_db
def test_unavailability_over_a_committed_mission_is_refused(personas: Personas) -> None:
    mission = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.CONFIRMED)
    before = table_state()
    with pytest.raises(ValidationError) as exc:
        unavailability_add(expert=personas.expert, start=next_year(3, 5), end=next_year(3, 10))
    assert f"committed to mission {mission.reference}" in str(exc.value)
    assert table_state() == before


@pytest.mark.django_db
def test_accreditation(personas: Personas) -> None:
    acc = accreditation_add(
        expert=personas.expert,
        topic=topic("aeo"),
        status="accredited",
        granted_on=next_year(1, 1),
        expires_on=next_year(12, 31),
    )
    assert acc.is_valid_on(next_year(6, 1))
    before = table_state()
    with pytest.raises(ValidationError) as exc:
        accreditation_add(
            expert=personas.expert,
            topic=topic("aeo"),
            status="accredited",
            granted_on=next_year(2, 1),
            expires_on=next_year(1, 1),
        )
    assert "is before the grant date" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        accreditation_add(
            expert=personas.expert, topic=topic("aeo"), status="famous", granted_on=next_year(2, 1)
        )
    assert "famous is not pre-accredited" in str(exc.value)
    assert table_state() == before


@pytest.mark.django_db
def test_only_the_home_administration_decides_the_pool_release(personas: Personas) -> None:
    expert = personas.expert
    before = table_state()
    for who in (personas.member, personas.secretariat, personas.expert_user):
        with pytest.raises(ValidationError) as exc:
            expert_release_set(expert=expert, status="refused", by=who)
        assert "only a member focal point of French Customs" in str(exc.value)
    assert table_state() == before
    expert_release_set(expert=expert, status="refused", by=personas.lender)
    expert.refresh_from_db()
    assert expert.release_status == ReleaseStatus.REFUSED
