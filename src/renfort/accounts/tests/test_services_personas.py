import pytest

from renfort.accounts.models import Role
from renfort.missions.selectors import missions_visible_to
from renfort.testing import Personas, make_assignment, persona_mission


@pytest.mark.django_db
def test_personas_have_one_user_per_role(personas: Personas) -> None:
    roles = {name: user.role for name, user in personas.users().items()}
    assert roles == {
        "secretariat": Role.SECRETARIAT_COORDINATOR,
        "regional": Role.REGIONAL_COORDINATOR,
        "member": Role.MEMBER_FOCAL_POINT,
        "donor": Role.DONOR_FOCAL_POINT,
        "expert_user": Role.EXPERT,
        "outsider": Role.MEMBER_FOCAL_POINT,
    }
    assert personas.expert.user == personas.expert_user
    assert personas.outsider.organisation != personas.member.organisation
    assert personas.outsider.region != personas.regional.region
    assert personas.admin_a.region == personas.regional.region


@pytest.mark.django_db
def test_persona_mission_is_visible_to_all_but_the_outsider(personas: Personas) -> None:
    mission = persona_mission(personas)
    make_assignment(mission.slots.get(), personas.expert, status="invited")
    for name, user in personas.users().items():
        visible = missions_visible_to(user).filter(pk=mission.pk).exists()
        assert visible == (name != "outsider"), name
