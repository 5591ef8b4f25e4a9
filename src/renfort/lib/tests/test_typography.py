"""French typography: a no-break space before : ; ? ! and inside « », in French only, on what
the application writes, never on times, URLs or people's own words."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.safestring import SafeData, mark_safe

from renfort.lib.messages import render
from renfort.lib.typography import NBSP, french_spacing, typeset


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Statut : accepté", f"Statut{NBSP}: accepté"),
        ("Statut: accepté", f"Statut{NBSP}: accepté"),
        ("Vraiment ? Oui !", f"Vraiment{NBSP}? Oui{NBSP}!"),
        ("Vraiment? Oui!", f"Vraiment{NBSP}? Oui{NBSP}!"),
        ("un ; deux", f"un{NBSP}; deux"),
        ("la mission « Audit »", f"la mission «{NBSP}Audit{NBSP}»"),
        ("la mission «Audit»", f"la mission «{NBSP}Audit{NBSP}»"),
        ("Référence :", f"Référence{NBSP}:"),
        ("%(reference)s: %(status)s", f"%(reference)s{NBSP}: %(status)s"),
        ("Statut\u202f: fini", f"Statut{NBSP}: fini"),
    ],
)
def test_french_spacing(text: str, expected: str) -> None:
    assert french_spacing(text) == expected
    assert french_spacing(expected) == expected  # idempotent


@pytest.mark.parametrize(
    "text",
    [
        "à 10:30",
        "https://renfort.example/missions/?page=2&unread=1",
        "ratio 3:2",
        "",
        "Rien à signaler.",
    ],
)
def test_times_urls_and_plain_text_are_left_alone(text: str) -> None:
    assert french_spacing(text) == text


def test_only_french_is_typeset() -> None:
    assert typeset("Status: done", "en") == "Status: done"
    assert typeset("Statut : fini", "fr") == f"Statut{NBSP}: fini"
    with translation.override("fr-ca"):
        assert typeset("Statut : fini") == f"Statut{NBSP}: fini"


def test_safe_html_keeps_its_tags_and_entities() -> None:
    html = mark_safe('<a href="/x?a=1&amp;b=2" title="a: b">Voir :</a> &amp; fin !')
    result = typeset(html, "fr")
    assert isinstance(result, SafeData)
    assert result == f'<a href="/x?a=1&amp;b=2" title="a: b">Voir{NBSP}:</a> &amp; fin{NBSP}!'


def test_messages_are_typeset_in_french_but_not_the_words_people_typed() -> None:
    params = {"reference": "R-1", "title": "Audit: phase 2 ?", "status": "accepted"}
    french = render("request.status_changed", params, "fr")
    assert f"«{NBSP}Audit: phase 2 ?{NBSP}»" in french.body  # the title as typed
    assert f"désormais{NBSP}:" in french.body
    assert f"R-1{NBSP}:" in french.subject
    english = render("request.status_changed", params, "en")
    assert NBSP not in str(english)
