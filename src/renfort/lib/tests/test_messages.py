"""Messages stored as codes: every registered kind renders in English and in French, and an
old or broken row can always be read."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from renfort.lib import messages
from renfort.lib.messages import DATE, OWN_WORDS, PERIOD, TEXT, Text, nested, register, render


@pytest.fixture
def scratch() -> Iterator[None]:
    """Kinds registered by a test are forgotten after it."""
    saved = dict(messages._KINDS)
    yield
    messages._KINDS.clear()
    messages._KINDS.update(saved)


def _in(language: str | None, template: object) -> str:
    with translation.override(language):
        return str(template)


KINDS = messages.kinds()


def test_every_app_registers_its_kinds() -> None:
    codes = {k.code for k in KINDS}
    assert {
        "request.status_changed",
        "request.planned_in_mission",
        "assignment.invited",
        "assignment.release_refused",
        "mission.confirmed",
        "assignment.fit",
        "assignment.swapped_in_by",
        "demo.welcome",
    } <= codes


@pytest.mark.parametrize("kind", KINDS, ids=[k.code for k in KINDS])
def test_every_kind_renders_in_english_and_in_french(kind: messages.Kind, caplog) -> None:
    params = kind.sample_params()
    caplog.set_level(logging.WARNING, logger="renfort.lib.messages")
    english = render(kind.code, params, "en")
    french = render(kind.code, params, "fr")
    assert caplog.records == [], "a parameter is missing or cannot be rendered"
    for text in (*english, *french):
        assert "%(" not in text
    assert str(english), f"{kind.code} renders nothing"
    for part, template in (("subject", kind.subject), ("body", kind.body)):
        if not _in(None, template):
            continue
        translated = _in("fr", template) != _in(None, template)
        assert translated, f"{kind.code} {part}: no French in the catalogue"
        assert getattr(french, part) != getattr(english, part), f"{kind.code} {part}"


def test_parameters_are_rendered_in_the_readers_language(scratch) -> None:
    register(
        "test.dates",
        body=gettext_lazy("%(day)s; %(period)s"),
        day=DATE,
        period=PERIOD,
        note=OWN_WORDS,
    )
    params = {"day": "2027-03-04", "period": ["2027-03-04", "2027-03-08"], "note": "Mes mots."}
    assert render("test.dates", params, "en").body == (
        "March 4, 2027; March 4, 2027 – March 8, 2027\n\nMes mots."
    )
    assert render("test.dates", params, "fr").body == (
        "4 mars 2027; 4 mars 2027 – 8 mars 2027\n\nMes mots."
    )


def test_a_nested_message_follows_the_body() -> None:
    params = {
        "reference": "R-1",
        "title": "Audit",
        "status": "planned",
        "because": nested("request.planned_in_mission", {"mission": "M-7"}),
    }
    assert render("request.status_changed", params, "fr").body == (
        "Votre demande « Audit » est désormais : Planifiée.\n\nPlanifiée dans la mission M-7."
    )


def test_an_unknown_code_shows_the_code_and_logs(caplog) -> None:
    assert render("gone.away", {"x": 1}) == Text("gone.away", "")
    assert "Unknown message code" in caplog.text


def test_a_missing_parameter_shows_a_dash_and_logs(caplog) -> None:
    text = render("request.planned_in_mission", {})
    assert text.body == "Planned in mission –."
    assert "lacks parameters ['mission']" in caplog.text


def test_a_value_the_renderer_cannot_read_is_shown_raw(caplog) -> None:
    text = render("mission.moved", {"reference": "M-1", "title": "T", "start": "soon", "end": 3})
    assert text.body == "Mission “T” now runs from soon to 3."
    assert "cannot render" in caplog.text


def test_an_unknown_status_code_shows_the_code() -> None:
    params = {"reference": "R-1", "title": "T", "status": "archived"}
    assert render("request.status_changed", params).subject == "Request R-1: archived"


def test_registration_refuses_slips(scratch) -> None:
    with pytest.raises(ValueError, match="dotted lowercase"):
        register("Nodots", body="x")
    with pytest.raises(ValueError, match="registered twice"):
        register("mission.confirmed", body="x")
    with pytest.raises(ValueError, match="undeclared parameters"):
        register("test.undeclared", body="%(who)s")
    with pytest.raises(ValueError, match="paragraph parameters"):
        register("test.paragraph", body="%(note)s", note=OWN_WORDS)
    with pytest.raises(ValueError, match="neither subject nor body"):
        register("test.empty", who=TEXT)


def test_check_refuses_what_json_cannot_store() -> None:
    import datetime

    with pytest.raises(ValueError, match="must be JSON"):
        messages.check("request.planned_in_mission", {"mission": datetime.date(2027, 1, 1)})
