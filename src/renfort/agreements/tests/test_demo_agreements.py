"""The demo's agreements: each kind, with budget lines, missions funded within the budget,
illustrative rates, estimates, actual costs (some paid in another currency) and signed copies
whose text can be read; the demo logins see what they should."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import F, Sum
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from renfort.agreements.models import (
    COMMITTED_MISSION_STATUSES,
    ActualCost,
    Agreement,
    AgreementKind,
    AgreementStatus,
    DailyAllowanceRate,
    MissionCostEstimate,
    MissionFunding,
)
from renfort.demo.funding import signed_copy
from renfort.demo.tests.test_demo import run_demo
from renfort.missions.models import DONE_MISSION_STATUSES


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.mark.sqlite_only  # the demo's content: the same on both databases
@pytest.mark.django_db
def test_the_demo_funds_and_costs_its_missions(media: Path) -> None:
    run_demo()
    agreements = list(Agreement.objects.prefetch_related("lines"))
    assert {a.kind for a in agreements} == set(AgreementKind.values)
    assert {a.status for a in agreements} == {AgreementStatus.ACTIVE, AgreementStatus.DRAFT}
    for agreement in agreements:
        lines = list(agreement.lines.all())
        assert lines and sum(line.amount for line in lines) <= agreement.budget
        funded = agreement.fundings.aggregate(n=Sum("amount"))["n"] or 0
        assert funded <= agreement.budget, agreement
    assert MissionFunding.objects.filter(amount__gt=0).count() >= 10
    assert not MissionFunding.objects.filter(amount=0).exists()

    # Rates: illustrative, marked so.
    assert DailyAllowanceRate.objects.exists()
    assert not DailyAllowanceRate.objects.filter(illustrative=False).exists()
    # Estimates for the funded missions confirmed or later; costs for the delivered ones.
    committed = MissionFunding.objects.filter(mission__status__in=COMMITTED_MISSION_STATUSES)
    assert committed.exists()
    estimated = set(MissionCostEstimate.objects.values_list("mission", flat=True))
    assert set(committed.values_list("mission", flat=True)) <= estimated
    delivered = MissionFunding.objects.filter(mission__status__in=DONE_MISSION_STATUSES)
    assert delivered.exists()
    paid = set(ActualCost.objects.values_list("agreement", "mission"))
    assert set(delivered.values_list("agreement", "mission")) <= paid
    converted = ActualCost.objects.exclude(paid_currency=F("agreement__currency"))
    assert converted.exists() and not converted.filter(exchange_rate=Decimal("1")).exists()

    # Two signed copies, real PDFs whose text names the agreement.
    documents = [a.documents.get() for a in agreements if a.documents.exists()]
    assert len(documents) == 2
    for document in documents:
        data = (media / document.file.name).read_bytes()
        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert document.agreement.reference in text and document.agreement.title in text
        assert signed_copy(document.agreement) == data  # the same bytes every build


@pytest.mark.sqlite_only  # the demo's content: the same on both databases
@pytest.mark.django_db
def test_the_demo_logins_see_their_agreements(media: Path) -> None:
    run_demo()
    regional = Client()
    regional.login(username="regional", password="regional-demo")
    tripartite = Agreement.objects.get(
        kind=AgreementKind.TRIPARTITE, parties__organisation__country="KE"
    )
    body = regional.get(reverse("agreements:agreement_list")).content.decode()
    assert tripartite.reference in body
    donor = Client()
    donor.login(username="donor", password="donor-demo")
    page = donor.get(reverse("agreements:agreement_detail", args=[tripartite.pk]))
    assert page.status_code == 200
    document = tripartite.documents.get()
    pdf = donor.get(reverse("agreements:document_download", args=[tripartite.pk, document.pk]))
    assert pdf.status_code == 200
    lender = Client()
    lender.login(username="lender", password="lender-demo")
    url = reverse("agreements:document_download", args=[tripartite.pk, document.pk])
    assert lender.get(url).status_code == 404
