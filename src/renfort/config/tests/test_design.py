"""The shared design pieces: date formats per language, date ranges, the grouped menu of each
role (no link lost), the error summary and the form fields' accessible errors."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from renfort.lib.templatetags.dates_display import date_range_text

DAY = datetime.date(2027, 3, 11)


def _render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "day", "month", "short", "number"),
    [
        ("en", "11 Mar 2027", "Mar 2027", "11 Mar 2027", "1,250.50"),
        ("fr", "11 mars 2027", "mars 2027", "11 mars 2027", "1\u202f250,50"),
    ],
)
def test_dates_and_numbers_follow_the_language(language, day, month, short, number):
    source = (
        '{{ d|date:"DATE_FORMAT" }}|{{ d|date:"YEAR_MONTH_FORMAT" }}|'
        '{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d }}|{{ n|floatformat:"2g" }}'
    )
    assert _render(source, language, d=DAY, n=1250.5) == f"{day}|{month}|{short}|{day}|{number}"


@pytest.mark.parametrize(
    ("start", "end", "english", "french"),
    [
        ((2027, 3, 4), (2027, 3, 8), "4–8 Mar 2027", "4–8 mars 2027"),
        ((2027, 2, 28), (2027, 3, 3), "28 Feb – 3 Mar 2027", "28 février – 3 mars 2027"),
        (
            (2026, 12, 30),
            (2027, 1, 2),
            "30 Dec 2026 – 2 Jan 2027",
            "30 décembre 2026 – 2 janvier 2027",
        ),
        ((2027, 3, 4), (2027, 3, 4), "4 Mar 2027", "4 mars 2027"),
    ],
)
def test_a_date_range_is_written_as_people_write_it(start, end, english, french):
    context = {"a": datetime.date(*start), "b": datetime.date(*end)}
    source = "{% load dates_display %}{{ a|date_range:b }}"
    assert _render(source, "en", **context) == english
    assert _render(source, "fr", **context) == french


def test_a_date_range_copes_with_missing_reversed_and_iso_dates():
    with translation.override("en"):
        assert date_range_text(None, None) == ""
        assert date_range_text(DAY, None) == "11 Mar 2027"
        assert date_range_text("2027-03-08", "2027-03-04") == "4–8 Mar 2027"
        assert date_range_text(datetime.datetime(2027, 3, 4, 9), "nonsense") == "4 Mar 2027"


# The links of each role's menu before the menu was grouped (templates/_nav.html): none lost.
OLD_LINKS = {
    "secretariat": [
        "assistance:appraisal_queue",
        "assistance:request_list",
        "missions:mission_list",
        "planner:run_list",
        "calendars:calendar",
        "calendars:timeline",
        "missions:matrix",
        "planner:gaps",
        "roster:expert_list",
        "agreements:agreement_list",
        "agreements:rate_list",
        "results:objective_list",
        "results:delivery_plan_list",
        "results:follow_up_list",
    ],
    "regional": [
        "assistance:request_list",
        "missions:mission_list",
        "calendars:calendar",
        "calendars:timeline",
        "missions:matrix",
        "planner:gaps",
        "roster:expert_list",
        "agreements:agreement_list",
        "results:objective_list",
        "results:delivery_plan_list",
        "results:follow_up_list",
    ],
    "member": [
        "assistance:request_list",
        "assistance:request_create",
        "missions:mission_list",
        "calendars:calendar",
        "calendars:timeline",
        "roster:expert_list",
        "roster:releases",
        "missions:matrix",
        "agreements:agreement_list",
        "results:objective_list",
        "results:delivery_plan_list",
        "results:follow_up_list",
    ],
    "donor": [
        "missions:mission_list",
        "calendars:calendar",
        "calendars:timeline",
        "agreements:agreement_list",
        "planner:gaps",
        "results:objective_list",
        "results:delivery_plan_list",
    ],
    "expert_user": [
        "roster:my_profile",
        "roster:invitations",
        "roster:my_missions",
        "calendars:calendar",
    ],
}
ALWAYS = ["home", "results:party_home", "accounts:inbox"]


def _nav(html: str) -> str:
    return html[html.index('<nav class="main-nav"') : html.index("</nav>")]


@pytest.mark.parametrize("who", sorted(OLD_LINKS))
def test_every_menu_link_is_still_reachable(client, personas, who):
    client.force_login(getattr(personas, who))
    nav = _nav(client.get(reverse("home")).content.decode())
    for name in [*ALWAYS, *OLD_LINKS[who]]:
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page that does not exist (yet) is left out of the menu
            continue
        assert f'href="{url}"' in nav, name


@pytest.mark.parametrize(("who", "groups"), [("secretariat", 5), ("member", 4), ("donor", 2)])
def test_the_menu_is_grouped_and_marks_the_current_page(client, personas, who, groups):
    client.force_login(getattr(personas, who))
    nav = _nav(client.get(reverse("missions:mission_list")).content.decode())
    assert nav.count('<details class="menu">') == groups
    assert f'href="{reverse("missions:mission_list")}" aria-current="page"' in nav


def test_the_header_has_a_menu_button_and_the_account_links(client, personas):
    client.force_login(personas.member)
    html = client.get(reverse("home")).content.decode()
    assert 'class="menu-toggle' in html and 'aria-controls="main-nav"' in html
    assert reverse("accounts:logout") in html and 'id="lang-select"' in html
    assert "renfort/nav.js" in html and "renfort/search-select.js" in html


class _Sample(forms.Form):
    title = forms.CharField(label="Title", help_text="What the mission is about.")
    notes = forms.CharField(label="Notes", required=False)
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )


def test_the_error_summary_links_each_message_to_its_field():
    form = _Sample(data={})
    assert not form.is_valid()
    html = Template('{% include "_error_summary.html" %}').render(Context({"form": form}))
    assert 'href="#id_title"' in html and 'href="#id_kind_0"' in html
    assert "There is a problem" in html


def test_an_error_summary_names_the_row_of_a_formset():
    formset = forms.formset_factory(_Sample, extra=0)(
        data={
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-title": "x",
            "form-0-kind": "a",
            "form-1-kind": "a",
        }
    )
    assert not formset.is_valid()
    html = Template('{% include "_error_summary.html" with row_label="Row" %}').render(
        Context({"formset": formset})
    )
    assert 'href="#id_form-1-title"' in html and "Row 2: " in html


def test_fields_say_optional_and_point_to_their_hint_and_error():
    form = _Sample(data={"kind": "a"})
    form.is_valid()
    html = Template('{% include "_form.html" %}').render(Context({"form": form}))
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert 'id="id_title_error"' in html and 'id="id_title_helptext"' in html
    assert 'Notes <span class="optional">(optional)</span>' in html
    assert "Title <span" not in html


def test_a_label_that_already_says_optional_gets_no_second_one():
    class _Form(forms.Form):
        note = forms.CharField(label="Note (optional)", required=False)

    html = Template('{% include "_form.html" %}').render(Context({"form": _Form()}))
    assert html.count("(optional)") == 1
    with translation.override("fr"):
        _Form.base_fields["note"].label = "Note (facultative)"
        html = Template('{% include "_form.html" %}').render(Context({"form": _Form()}))
    assert "facultatif" not in html
