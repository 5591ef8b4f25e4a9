"""Slot exclusions in the admin: read, never written by hand; lifting one goes through
``slot_exclusion_remove`` (its locks and its rule: a secretariat coordinator only)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from renfort.accounts.models import Role, User
from renfort.missions.models import SlotExclusion
from renfort.missions.services import slot_exclusion_add
from renfort.testing import Personas, persona_mission

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:missions_slotexclusion_changelist"


@pytest.fixture
def exclusion(personas: Personas) -> SlotExclusion:
    mission = persona_mission(personas)
    return slot_exclusion_add(
        slot=mission.slots.get(), expert=personas.expert, by=personas.secretariat, reason="Asked"
    )


def test_exclusions_are_listed_and_never_written_by_hand(
    client: Client, exclusion: SlotExclusion
) -> None:
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    page = client.get(reverse(CHANGELIST), {"q": exclusion.slot.mission.reference})
    assert page.status_code == 200 and str(exclusion.expert) in page.content.decode()
    change = reverse("admin:missions_slotexclusion_change", args=[exclusion.pk])
    assert client.get(change).status_code == 200  # shown read-only
    assert client.post(change, {"reason": "edited"}).status_code == 403
    assert client.get(reverse("admin:missions_slotexclusion_add")).status_code == 403
    delete = reverse("admin:missions_slotexclusion_delete", args=[exclusion.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    exclusion.refresh_from_db()
    assert exclusion.reason == "Asked"


def test_letting_back_goes_through_the_service(
    client: Client, personas: Personas, exclusion: SlotExclusion
) -> None:
    data = {"action": "let_back_into_slots", "_selected_action": [exclusion.pk]}
    root = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    refused = client.post(reverse(CHANGELIST), data, follow=True)
    said = [str(m) for m in get_messages(refused.wsgi_request)]
    assert any("Only a secretariat coordinator excludes experts" in m for m in said), said
    assert SlotExclusion.objects.filter(pk=exclusion.pk).exists()
    coordinator = personas.secretariat
    User.objects.filter(pk=coordinator.pk).update(is_staff=True, is_superuser=True)
    assert coordinator.role == Role.SECRETARIAT_COORDINATOR
    client.force_login(coordinator)
    client.post(reverse(CHANGELIST), data, follow=True)
    assert not SlotExclusion.objects.filter(pk=exclusion.pk).exists()
