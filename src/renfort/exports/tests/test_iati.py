"""The IATI export: valid against the official 2.03 schema, every code in the official
codelists (both read from ``../shared/iati``, never copied into the project), scoped to what
the reader may see."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from renfort.accounts.models import Role, User
from renfort.agreements.models import Agreement
from renfort.exports.iati import export_for, split_percentages
from renfort.missions.models import Mission
from renfort.testing import sign_in

REPO = Path(__file__).resolve().parents[4]
IATI_DIR = Path(os.environ.get("RENFORT_IATI_DIR", REPO.parent / "shared" / "iati"))
TODAY = datetime.date(2026, 11, 29)

needs_iati = pytest.mark.skipif(
    not (IATI_DIR / "iati-activities-schema.xsd").exists(),
    reason=f"the official IATI 2.03 schema and codelists are not at {IATI_DIR} "
    "(they may not be copied into the project; set RENFORT_IATI_DIR to where they are)",
)

# Each coded attribute the export writes, and the official codelist its values come from.
CODED = [
    ("//iati-activity/@default-currency", "Currency"),
    ("//value/@currency", "Currency"),
    ("//reporting-org/@type", "OrganisationType"),
    ("//participating-org/@type", "OrganisationType"),
    ("//participating-org/@role", "OrganisationRole"),
    ("//activity-status/@code", "ActivityStatus"),
    ("//activity-date/@type", "ActivityDateType"),
    ("//activity-scope/@code", "ActivityScope"),
    ("//recipient-country/@code", "Country"),
    ("//sector/@vocabulary", "SectorVocabulary"),
    ("//sector[@vocabulary='1']/@code", "Sector"),
    ("//default-aid-type/@code", "AidType"),
    ("//budget/@type", "BudgetType"),
    ("//budget/@status", "BudgetStatus"),
    ("//transaction-type/@code", "TransactionType"),
    ("//related-activity/@type", "RelatedActivityType"),
    ("//description/@type", "DescriptionType"),
    ("//result/@type", "ResultType"),
    ("//indicator/@measure", "IndicatorMeasure"),
    ("//narrative/@xml:lang", "Language"),
    ("//iati-activities/@version", "Version"),
]


def codelist(name: str) -> set[str]:
    tree = etree.parse(str(IATI_DIR / "codelists" / f"{name}.xml"))
    return {code.text.strip() for code in tree.iter("code") if code.text}


def build_demo(*args: str) -> None:
    call_command("demo", f"--today={TODAY.isoformat()}", *args, stdout=StringIO())


@needs_iati
@pytest.mark.sqlite_only  # the demo's content: the same on both databases
@pytest.mark.django_db
def test_the_full_demo_exports_valid_iati_with_official_codes_only() -> None:
    build_demo()
    xml = export_for(None)
    assert xml is not None
    doc = etree.fromstring(xml)
    schema = etree.XMLSchema(etree.parse(str(IATI_DIR / "iati-activities-schema.xsd")))
    assert schema.validate(doc), str(schema.error_log)[:2000]

    used_lists = set()
    for path, name in CODED:
        found = doc.xpath(path)
        assert isinstance(found, list)
        values = {str(v) for v in found}
        if not values:
            continue
        used_lists.add(name)
        unknown = values - codelist(name)
        assert not unknown, f"{path}: {sorted(unknown)} not in the official {name} codelist"
    # The export uses the codelists that carry its substance.
    assert {"Currency", "OrganisationRole", "ActivityStatus", "Country", "Sector"} <= used_lists

    activities = doc.findall("iati-activity")
    agreements = [a for a in activities if a.get("hierarchy") == "1"]
    missions = [a for a in activities if a.get("hierarchy") == "2"]
    assert len(agreements) == Agreement.objects.count()
    assert len(missions) == Mission.objects.filter(agreements__isnull=False).distinct().count()
    # Each mission points at its agreement and back.
    ids = {a.findtext("iati-identifier") for a in activities}
    for mission in missions:
        parents = mission.xpath("related-activity[@type='1']/@ref")
        assert isinstance(parents, list) and parents
        assert {str(p) for p in parents} <= ids
    # Trade facilitation, and narratives Renfort writes in English and in French.
    assert all(a.xpath("sector[@vocabulary='1' and @code='33120']") for a in activities)
    general = activities[0].find("description[@type='1']")
    assert general is not None
    english = general.xpath("narrative[not(@xml:lang)]/text()")
    french = general.xpath("narrative[@xml:lang='fr']/text()")
    assert english and french and english != french
    # Results with indicators, baselines and actuals.
    assert doc.xpath("//result/indicator/baseline/@value")
    assert doc.xpath("//result/indicator/period/actual/@value")


@pytest.mark.django_db
def test_nothing_to_export_for_someone_party_to_no_agreement(expert_user: User) -> None:
    assert export_for(expert_user) is None


def test_shares_of_a_hundred_add_up_exactly() -> None:
    for n in range(1, 30):
        shares = split_percentages(n)
        assert len(shares) == n and sum(shares) == Decimal(100)
        assert all(s > 0 for s in shares)
    assert split_percentages(0) == []


@pytest.mark.django_db
def test_command_says_when_there_is_nothing_to_export() -> None:
    with pytest.raises(CommandError, match="Nothing to export"):
        call_command("export", "iati", stdout=StringIO())


@pytest.mark.django_db
def test_download_needs_a_role_that_sees_agreements(
    client: Client, secretariat: User, expert_user: User
) -> None:
    url = reverse("exports:iati")
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(expert_user)
    assert client.get(url).status_code == 403
    client.force_login(secretariat)
    response = client.get(url)  # no agreement at all: back to the list, with a message
    assert response.status_code == 302


@pytest.fixture(scope="class")
def small_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The small demo, built once for the tests of a class (each test runs in a savepoint
    inside it) and rolled back after them."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            build_demo("--small")
            yield
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.usefixtures("small_demo")
class TestOnTheSmallDemo:
    """What the export of the small demo holds (the demo built once for the class)."""

    def test_a_party_exports_only_its_agreements_and_their_missions(self) -> None:
        donor = User.objects.filter(role=Role.DONOR_FOCAL_POINT).order_by("username").first()
        assert donor is not None
        xml = export_for(donor)
        assert xml is not None
        doc = etree.fromstring(xml)
        own = Agreement.objects.filter(parties__organisation=donor.organisation).distinct()
        identifiers = {a.findtext("iati-identifier") or "" for a in doc.findall("iati-activity")}
        others = Agreement.objects.exclude(pk__in=own.values("pk"))
        for agreement in others:
            assert not any(i.endswith(f"-{agreement.reference}") for i in identifiers)
        for agreement in own:
            assert any(i.endswith(f"-{agreement.reference}") for i in identifiers)

    def test_the_export_reads_the_same_number_of_queries_whatever_the_missions(self) -> None:
        missions = Mission.objects.filter(agreements__isnull=False).distinct().count()
        assert missions > 10
        with CaptureQueriesContext(connection) as queries:
            export_for(None)
        # Prefetches only: a query per activity would make it grow with the missions.
        assert len(queries) <= 25, len(queries)

    def test_command_writes_a_file_and_names_a_bad_user(self, tmp_path: Path) -> None:
        out = tmp_path / "iati.xml"
        call_command("export", "iati", "-o", str(out), stdout=StringIO())
        assert etree.parse(str(out)).getroot().tag == "iati-activities"
        with pytest.raises(CommandError, match="--user: no user named 'nobody'"):
            call_command("export", "iati", "--user", "nobody", stdout=StringIO())

    def test_download_is_an_xml_attachment_prepared_in_the_background(self, client: Client) -> None:
        user = User.objects.filter(role=Role.SECRETARIAT_COORDINATOR).order_by("username").first()
        assert user is not None
        sign_in(client, user)  # the demo's secretariat signs in with a second step
        page = client.get(reverse("exports:iati"))
        assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
        response = client.post(reverse("exports:iati"))  # the test backend runs the task at once
        assert response.status_code == 302
        detail = client.get(response["Location"])
        export = detail.context["export"]
        assert export.status == "done"
        response = client.get(reverse("exports:export_file", args=[export.pk]))
        assert response["Content-Type"].startswith("application/xml")
        assert "attachment" in response["Content-Disposition"]
        content = response.getvalue()
        assert etree.fromstring(content).tag == "iati-activities"
