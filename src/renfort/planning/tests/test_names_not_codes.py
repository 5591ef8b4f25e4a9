"""Pages show names, not codes: a French reader sees "Sénégal" and "Français" where the rows
hold "SN" and "fr" (UX.md, "Names, not codes")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renfort.planning.gap_snapshots import pool_gaps_refresh
from renfort.roster.models import Category
from renfort.testing import Personas, next_year, persona_mission

pytestmark = pytest.mark.django_db


def _cells(html: str) -> str:
    """The page without its markup's attributes, where a code may rightly appear (lang="fr")."""
    import re

    return re.sub(r"<[^>]*>", "|", html)


def test_the_french_mission_page_names_countries_and_languages(client, personas: Personas):
    mission = persona_mission(personas, language="fr")
    client.force_login(personas.secretariat)
    html = client.get(
        reverse("missions:mission_detail", args=[mission.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    text = _cells(html)
    assert "Senegal Customs (Sénégal)" in text
    assert "(SN)" not in text
    assert "|Français|" in text
    assert "|fr|" not in text


def test_the_french_gaps_page_names_the_language(client, personas: Personas):
    persona_mission(
        personas,
        language="fr",
        window=(next_year(5, 1), next_year(5, 30), 4),
        slots=[(Category.SPECIALIZED_TRAINER, {"valuation": 4})],
    )
    pool_gaps_refresh()
    client.force_login(personas.secretariat)
    html = client.get(reverse("planner:gaps"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    text = _cells(html)
    assert "|Français|" in text
    assert "|fr|" not in text
