"""The shared look, checked on every page a role reaches from its menu: each page extends
the base layout, and every form field carries a label (errors then sit next to it)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from renfort.assistance.models import RequestStatus
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.testing import make_assignment, make_request, persona_mission

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}
DETAIL = re.compile(r'href="(/(?:missions|requests|agreements|planner|experts)/[\w/-]*?\d+/)"')


class _Fields(HTMLParser):
    """Collects form fields and the labels that name them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, dict[str, str | None], bool]] = []
        self.labelled_ids: set[str] = set()
        self._in_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "label":
            self._in_label += 1
            if attributes.get("for"):
                self.labelled_ids.add(str(attributes["for"]))
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and attributes.get("type") in UNLABELLED_TYPES:
                return
            self.fields.append((tag, attributes, self._in_label > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._in_label -= 1


def unlabelled_fields(html: str) -> list[str]:
    parser = _Fields()
    parser.feed(html)
    return [
        f"<{tag} name={attrs.get('name')!r}>"
        for tag, attrs, wrapped in parser.fields
        if not (
            wrapped
            or attrs.get("aria-label")
            or attrs.get("aria-labelledby")
            or attrs.get("id") in parser.labelled_ids
        )
    ]


@pytest.fixture
def busy_world(personas):
    """A request in appraisal, a mission with an invited expert: detail pages to visit."""
    make_request(
        administrations=[personas.admin_a],
        focal_point=personas.member,
        status=RequestStatus.SUBMITTED,
    )
    mission = persona_mission(personas, status=MissionStatus.SCHEDULED)
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.INVITED)
    return personas


def _pages(client) -> list[str]:
    home = client.get(reverse("home")).content.decode()
    nav = home.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    pages = re.findall(r'href="([^"]+)"', nav)
    for page in list(pages):
        for detail in DETAIL.findall(client.get(page).content.decode())[:2]:
            if detail not in pages:
                pages.append(detail)
    return pages


@pytest.mark.parametrize("name", ["secretariat", "regional", "member", "lender", "donor"])
def test_every_page_of_a_role_extends_base_and_labels_its_fields(client, busy_world, name):
    client.force_login(getattr(busy_world, name))
    problems = []
    for page in _pages(client):
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        if 'class="brand"' not in html:
            problems.append(f"{page}: does not extend base.html")
        problems += [f"{page}: unlabelled {field}" for field in unlabelled_fields(html)]
    assert not problems, "\n".join(problems)


def test_expert_pages_label_their_fields(client, busy_world):
    client.force_login(busy_world.expert_user)
    for page in _pages(client):
        html = client.get(page).content.decode()
        assert not unlabelled_fields(html), page


def test_the_checker_finds_an_unlabelled_field():
    html = '<form><label for="a">A</label><input id="a"><select name="b"></select></form>'
    assert unlabelled_fields(html) == ["<select name='b'>"]


def test_pages_load_only_our_own_assets(client, member):
    """No CDN: every stylesheet and script comes from our static files."""
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(asset.startswith("/static/") for asset in assets), assets


def _english_strings() -> set[str]:
    """Our English source strings whose French differs (so that seeing one is a leak)."""
    import polib  # type: ignore[import-untyped, unused-ignore]

    from renfort.accounts.tests.test_i18n import PO

    return {
        entry.msgid
        for entry in polib.pofile(str(PO))
        if entry.msgstr
        and entry.msgstr != entry.msgid
        and len(entry.msgid) > 3
        and "%" not in entry.msgid
    }


def _text_nodes(html: str) -> set[str]:
    import html as html_lib

    # The language switcher names each language in itself ("English") on purpose.
    html = re.sub(r'<form[^>]*class="lang".*?</form>', "", html, flags=re.S)
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    return {html_lib.unescape(t).strip() for t in re.split(r"<[^>]+>", html)} - {""}


@pytest.mark.parametrize("name", ["secretariat", "member", "lender", "donor", "expert_user"])
def test_french_pages_show_no_english_string_of_ours(client, busy_world, name):
    """Catches text translated at import time (gettext instead of gettext_lazy) or not at all."""
    english = _english_strings()
    client.force_login(getattr(busy_world, name))
    leaks = []
    for page in _pages(client):
        html = client.get(page, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        leaks += [f"{page}: {text!r}" for text in sorted(_text_nodes(html) & english)]
    assert not leaks, "English on French pages:\n" + "\n".join(leaks)
