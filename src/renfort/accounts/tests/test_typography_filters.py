"""The template filters of French typography and references (``{% load typography %}``)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from renfort.lib.typography import NBSP


def test_the_template_filter_follows_the_page_language() -> None:
    template = Template("{% load typography %}{{ text|typeset }}")
    with translation.override("fr"):
        assert template.render(Context({"text": "Note : <b>"})) == f"Note{NBSP}: &lt;b&gt;"
    with translation.override("en"):
        assert template.render(Context({"text": "Note : x"})) == "Note : x"


def test_references_never_break_and_text_stays_escaped() -> None:
    template = Template("{% load typography %}{{ text|keep_references|linebreaksbr }}")
    html = template.render(Context({"text": "Mission M-2026-051 <b>moved</b>\nsee R-2027-4"}))
    assert html == (
        'Mission <span class="ref">M-2026-051</span> &lt;b&gt;moved&lt;/b&gt;<br>'
        'see <span class="ref">R-2027-4</span>'
    )
