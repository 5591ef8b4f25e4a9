"""The agreements list's selector, shared by the page, its file and the API."""

from __future__ import annotations

import pytest

from renfort.agreements.models import AgreementKind, PartyRole
from renfort.agreements.selectors import agreements_filtered, with_list_columns
from renfort.testing import Personas, make_agreement, next_year

pytestmark = pytest.mark.django_db


def test_filters_narrow_what_the_user_sees(personas: Personas):
    tripartite = make_agreement(
        kind=AgreementKind.TRIPARTITE,
        parties=[
            (personas.donor_agency, PartyRole.FUNDING),
            (personas.admin_a, PartyRole.BENEFICIARY),
        ],
        title="Customs risk",
    )
    extending = make_agreement(parties=[(personas.donor_agency, PartyRole.EXTENDING)])
    elsewhere = make_agreement(parties=[(personas.admin_c, PartyRole.FUNDING)])

    def refs(user, **data):
        return {a.reference for a in agreements_filtered(user, data)}

    donor = personas.donor
    assert refs(donor) == {tripartite.reference, extending.reference}
    assert refs(donor, kind=AgreementKind.TRIPARTITE) == {tripartite.reference}
    assert refs(donor, q="customs") == {tripartite.reference}
    assert refs(donor, role=PartyRole.EXTENDING) == {extending.reference}
    # The secretariat's role filter looks at any party.
    assert elsewhere.reference in refs(personas.secretariat, role=PartyRole.FUNDING)
    assert refs(personas.member, role=PartyRole.FUNDING) == set()
    assert refs(donor, active_on=next_year(6, 1), q=None, status="") == refs(donor)
    assert refs(donor, active_on=next_year(6, 1).replace(year=next_year().year + 1)) == set()


def test_list_columns(personas: Personas):
    make_agreement(parties=[(personas.donor_agency, PartyRole.FUNDING)])
    (row,) = with_list_columns(agreements_filtered(personas.donor, {}))
    assert (row.committed, row.spent, row.mission_count) == (0, 0, 0)  # type: ignore[attr-defined]
    assert [p.organisation for p in row.parties.all()] == [personas.donor_agency]
