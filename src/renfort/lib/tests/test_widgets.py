"""The searchable selects (lib/widgets.py): a working select without JavaScript, a search box
instead of thousands of options, the typed text resolved by the lookup's rule."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from renfort.accounts.models import Organisation, OrganisationKind
from renfort.lib.widgets import (
    SEARCH_SUFFIX,
    SearchableSelect,
    SearchableSelectMultiple,
    lookup_filter,
)
from renfort.roster.models import Expert
from renfort.testing import make_expert, make_organisation

pytestmark = pytest.mark.django_db


def _form(threshold: int = 200, multiple: bool = False) -> type[forms.Form]:
    queryset = Organisation.objects.order_by("name")
    if multiple:
        field: forms.Field = forms.ModelMultipleChoiceField(
            label="Co-requesters",
            queryset=queryset,
            required=False,
            widget=SearchableSelectMultiple("organisations", threshold=threshold),
        )
    else:
        field = forms.ModelChoiceField(
            label="Administration",
            queryset=queryset,
            widget=SearchableSelect(
                "organisations", params={"kind": "member"}, threshold=threshold
            ),
        )
    return type("OrgForm", (forms.Form,), {"organisation": field})


@pytest.fixture
def orgs() -> list[Organisation]:
    return [
        make_organisation(name="Kenya Revenue Authority", country="KE"),
        make_organisation(name="Senegal Customs", country="SN"),
        make_organisation(name="Customs of Norway", country="NO"),
        make_organisation(name="Nordic Development Agency", kind=OrganisationKind.DONOR_AGENCY),
    ]


def test_a_short_list_renders_every_option_and_the_lookup_address(orgs):
    html = str(_form()()["organisation"])
    assert 'data-lookup="/lookups/organisations/?kind=member"' in html
    assert all(f">{o.name}</option>" in html for o in orgs)
    assert SEARCH_SUFFIX not in html


def test_a_long_list_renders_the_chosen_option_and_a_search_box(orgs):
    form = _form(threshold=2)(initial={"organisation": orgs[1].pk})
    html = str(form["organisation"])
    assert "Senegal Customs</option>" in html
    assert "Kenya Revenue Authority" not in html
    assert f'name="organisation{SEARCH_SUFFIX}"' in html
    assert 'data-lookup="/lookups/organisations/?kind=member"' in html


def test_typed_text_matching_one_entry_chooses_it(orgs):
    form = _form(threshold=2)({f"organisation{SEARCH_SUFFIX}": "kenya rev"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organisation"] == orgs[0]


def test_typed_text_matching_several_entries_lists_them_and_names_the_field(orgs):
    form = _form(threshold=2)({f"organisation{SEARCH_SUFFIX}": "customs"})
    assert not form.is_valid()
    message = str(form.errors["organisation"][0])
    assert message.startswith("Administration:")
    assert "2 entries" in message
    html = str(form["organisation"])
    assert "Senegal Customs</option>" in html and "Customs of Norway</option>" in html
    assert 'value="customs"' in html


def test_typed_text_matching_nothing_says_so(orgs):
    form = _form(threshold=2)({f"organisation{SEARCH_SUFFIX}": "zzz"})
    assert not form.is_valid()
    assert "nothing matches “zzz”" in form.errors["organisation"][0]


def test_a_country_name_in_the_readers_language_finds_the_administration(orgs):
    with translation.override("fr"):
        q = lookup_filter("organisations", "Sénég")
    assert list(Organisation.objects.filter(q)) == [orgs[1]]
    assert list(Organisation.objects.filter(lookup_filter("organisations", "keny"))) == [orgs[0]]


def test_a_multiple_select_resolves_each_name_separated_by_semicolons(orgs):
    form = _form(threshold=2, multiple=True)(
        {"organisation": [str(orgs[3].pk)], f"organisation{SEARCH_SUFFIX}": "kenya; senegal"}
    )
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["organisation"]) == {orgs[0], orgs[1], orgs[3]}


def test_a_multiple_select_refuses_an_unresolved_name_and_keeps_it(orgs):
    form = _form(threshold=2, multiple=True)({f"organisation{SEARCH_SUFFIX}": "kenya; nope"})
    assert not form.is_valid()
    assert "Co-requesters:" in form.errors["organisation"][0]
    assert "nope" in form.errors["organisation"][0]


def test_a_digit_typed_is_never_taken_for_a_primary_key(orgs):
    form = _form(threshold=2)({f"organisation{SEARCH_SUFFIX}": str(orgs[0].pk)})
    assert not form.is_valid()


def test_experts_are_searched_by_first_and_last_name():
    ana = make_expert(first_name="Ana", last_name="Lima")
    make_expert(first_name="Bruno", last_name="Costa")
    assert list(Expert.objects.filter(lookup_filter("experts", "ana lim"))) == [ana]
    assert list(Expert.objects.filter(lookup_filter("experts", "lima"))) == [ana]
