"""What each kind of export builds (docs/performance.md, "Exports").

A builder takes the person who asked and the export's parameters, checks again what that
person may see (the same access helpers as the pages: a right withdrawn since the request
fails the export), and returns the file, or None when there is nothing to put in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from renfort.accounts.models import User
from renfort.exports.iati import export_for
from renfort.exports.lists import KINDS, list_file
from renfort.exports.lists.base import ListExport
from renfort.results.figures import access
from renfort.results.figures.access import Party
from renfort.results.party_reports.base import CONTENT_TYPES, FORMATS, Report, report_bytes
from renfort.results.party_reports.experts import contribution_report
from renfort.results.party_reports.members import (
    assistance_report,
    funding_report,
    region_report,
)


@dataclass(frozen=True)
class Built:
    content: bytes
    name: str  # with its extension
    content_type: str


class NothingToExport(Exception):
    """The file would be empty (IATI wants one activity at least)."""


def _iati(user: User, params: dict[str, Any]) -> Built:
    xml = export_for(user)
    if xml is None:
        raise NothingToExport
    name = f"renfort-iati-{timezone.localdate().isoformat()}.xml"
    return Built(xml, name, "application/xml; charset=utf-8")


def _report(built: Report, fmt: str) -> Built:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    return Built(report_bytes(built, fmt), f"{built.name}.{fmt}", CONTENT_TYPES[fmt])


def _party_report(
    party: Callable[[User, int], Party], report: Callable[[Party], Report]
) -> Callable[[User, dict[str, Any]], Built]:
    def build(user: User, params: dict[str, Any]) -> Built:
        return _report(report(party(user, int(params["pk"]))), params["fmt"])

    return build


def _region(user: User, params: dict[str, Any]) -> Built:
    return _report(region_report(access.region_party(user, str(params["pk"]))), params["fmt"])


BUILDERS: dict[str, Callable[[User, dict[str, Any]], Built]] = {
    "iati": _iati,
    "results.lending": _party_report(access.lending_party, contribution_report),
    "results.donor": _party_report(access.donor_party, funding_report),
    "results.beneficiary": _party_report(access.beneficiary_party, assistance_report),
    "results.region": _region,
}


def _list(spec: ListExport) -> Callable[[User, dict[str, Any]], Built]:
    """A list page's file, with the filters its query string held when it was asked for."""

    def build(user: User, params: dict[str, Any]) -> Built:
        return Built(*list_file(user, spec, str(params["fmt"]), str(params.get("query", ""))))

    return build


BUILDERS.update({kind: _list(spec) for kind, spec in KINDS.items()})
