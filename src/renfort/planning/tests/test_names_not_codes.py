"""Pages show names, not codes: a French reader sees "Sénégal" and "Français" where the rows
hold "SN" and "fr" (UX.md, "Names, not codes")."""

from __future__ import annotations

import re

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


def test_the_french_gaps_page_has_no_english_the_application_wrote(client, personas: Personas):
    """Topics with their levels, the month, the near administrations by name, the missions
    with their titles: all in French, nothing in English or as a code."""
    from renfort.testing import make_expert, make_member

    mission = persona_mission(
        personas,
        language="fr",
        title="Atelier sur la valeur en douane",
        window=(next_year(5, 1), next_year(5, 30), 4),
        slots=[(Category.SPECIALIZED_TRAINER, {"valuation": 4})],
    )
    german = make_member("DE", "EUR", name="Generalzolldirektion", languages=("fr",))
    german.short_name = "DE"  # a code: the page must name the administration instead
    german.save()
    make_expert(
        home_administration=german,
        categories=(Category.SPECIALIZED_TRAINER,),
        languages=("fr",),
        skills={"valuation": 3},
    )
    pool_gaps_refresh()
    client.force_login(personas.secretariat)
    html = client.get(reverse("planner:gaps"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    main = html.split('<main id="content"', 1)[1].split("</main>", 1)[0]
    text = re.sub(r"[ \t\n|]+", " ", _cells(main))  # keeps the no-break spaces
    assert "Valeur en douane, niveau 4 ou plus" in text
    assert f"mai {next_year().year}" in text  # the month, written out
    assert "Generalzolldirektion\u00a0: 1 expert" in text  # the name, not "DE (1)"
    assert f"{mission.reference} Atelier sur la valeur en douane" in text
    assert "Formateur spécialisé" in text
    for english in (
        "Pool gaps",
        "As of",
        "Qualified",
        "Near matches",
        "level",
        "or above",
        "none",
        "Customs valuation",
        "Specialized trainer",
        "≥",
        "(1)",
        f"{next_year().year}-05",
        "May",
    ):
        assert english not in text, english
