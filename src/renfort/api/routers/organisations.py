"""Organisations: the administrations, agencies and offices Renfort knows. Every signed-in
caller reads them all, as the searchable selects of the pages do (names and countries, no
personal data)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from renfort.accounts.models import Organisation, OrganisationKind, Region
from renfort.api.fields import ObjectId
from renfort.api.pagination import PageQuery, page_of, paginate
from renfort.api.problems import errors

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: OrganisationKind
    country: str = Field(description="ISO 3166-1 alpha-2 code, or empty.")
    region: Region | None = Field(description="WCO region code, or null.")
    languages: list[str] = Field(description="Working languages, ISO 639-1 codes.")
    lends_experts: bool

    @staticmethod
    def resolve_region(obj: Organisation) -> str | None:
        return obj.region or None


class OrganisationFilters(PageQuery):
    kind: OrganisationKind | None = None
    region: Region | None = None
    country: str | None = Field(None, min_length=2, max_length=2, pattern="^[A-Za-z]{2}$")
    q: str | None = Field(None, max_length=100, description="Part of the name or short name.")


def organisations_filtered(filters: OrganisationFilters) -> QuerySet[Organisation]:
    qs = Organisation.objects.order_by("name", "id")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.region:
        qs = qs.filter(region=filters.region)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(short_name__icontains=filters.q))
    return qs


@router.get(
    "",
    url_name="organisation_list",
    response={200: page_of(OrganisationOut), **errors(401, 422, 429)},
    summary="List organisations",
)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> dict[str, Any]:
    return paginate(organisations_filtered(filters), filters)


@router.get(
    "{int:pk}/",
    url_name="organisation_detail",
    response={200: OrganisationOut, **errors(401, 404, 422, 429)},
    summary="One organisation",
)
def organisation_detail(request: HttpRequest, pk: ObjectId) -> Organisation:
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("No such organisation.")
    return found
