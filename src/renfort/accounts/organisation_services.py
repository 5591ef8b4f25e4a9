"""Writes about organisations (member administrations, donor agencies, regional offices), for
the secretariat. Organisations had no service before imports: these are the only writes of
them outside the demo builder and the admin."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, OrganisationKind, Region, Role, User
from renfort.lib.countries import country_name
from renfort.lib.limits import length_errors

LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
# The secretariat is not created by an import.
IMPORTABLE_KINDS = (
    OrganisationKind.MEMBER_ADMINISTRATION,
    OrganisationKind.DONOR_AGENCY,
    OrganisationKind.REGIONAL_OFFICE,
)


def _errors(values: dict[str, Any], organisation: Organisation | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["name"].strip():
        errors["name"] = _("Name: required.")
    if values["kind"] not in IMPORTABLE_KINDS:
        errors["kind"] = _(
            "Kind: %(kind)s is not a member administration, a donor agency or a regional office."
        ) % {"kind": values["kind"]}
    country = values["country"]
    if country and (len(country) != 2 or country_name(country, "en") == country):
        errors["country"] = _("Country: %(code)s is not an ISO 3166-1 code such as SN.") % {
            "code": country
        }
    if values["region"] and values["region"] not in Region.values:
        errors["region"] = _("Region: %(region)s is not a WCO region code such as WCA.") % {
            "region": values["region"]
        }
    if bad := [code for code in values["languages"] if not LANGUAGE_CODE.match(code)]:
        errors["languages"] = _("Languages: %(codes)s is not an ISO 639-1 code such as fr.") % {
            "codes": ", ".join(bad)
        }
    others = Organisation.objects.all()
    if organisation is not None:
        others = others.exclude(pk=organisation.pk)
    if others.filter(name__iexact=values["name"].strip()).exists():
        errors["name"] = _("Name: another organisation is called %(name)s.") % {
            "name": values["name"].strip()
        }
    if values["short_name"] and others.filter(short_name__iexact=values["short_name"]).exists():
        errors["short_name"] = _("Code: another organisation has the code %(code)s.") % {
            "code": values["short_name"]
        }
    if values["kind"] == OrganisationKind.MEMBER_ADMINISTRATION:
        if not country:
            errors.setdefault(
                "country", _("Country: a member administration is the administration of a country.")
            )
        elif other := others.filter(kind=values["kind"], country=country).first():
            errors.setdefault(
                "country",
                _("Country: %(name)s is already the member administration of %(country)s.")
                % {"name": other.name, "country": country_name(country)},
            )
    for key, message in length_errors(
        Organisation, name=values["name"].strip(), short_name=values["short_name"]
    ).items():
        errors.setdefault(key, message)
    return errors


def _secretariat_only(by: User) -> None:
    if by.role != Role.SECRETARIAT_COORDINATOR:
        raise ValidationError(_("Only the secretariat adds or changes organisations."))


@transaction.atomic
def organisation_create(
    *,
    by: User,
    short_name: str,
    name: str,
    kind: str,
    country: str = "",
    region: str = "",
    languages: Sequence[str] = (),
    lends_experts: bool = False,
) -> Organisation:
    """The secretariat adds an organisation. Its ``short_name`` is its code (unique, compared
    without case); a member administration is the one of its country."""
    _secretariat_only(by)
    values = {
        "short_name": short_name.strip(),
        "name": name,
        "kind": kind,
        "country": country.upper(),
        "region": region,
        "languages": list(dict.fromkeys(languages)),
    }
    if errors := _errors(values, None):
        raise ValidationError(errors)
    values["name"] = name.strip()
    return Organisation.objects.create(**values, lends_experts=lends_experts)


@transaction.atomic
def organisation_update(*, by: User, organisation: Organisation, **changes: Any) -> list[str]:
    """The secretariat changes an organisation's name, country, region, languages or whether
    it lends experts (its kind never changes). Returns the fields that changed."""
    _secretariat_only(by)
    allowed = {"name", "country", "region", "languages", "lends_experts"}
    if unknown := set(changes) - allowed:
        raise ValueError(f"organisation_update cannot change {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    values = {
        "short_name": organisation.short_name,
        "name": organisation.name,
        "kind": organisation.kind,
        "country": organisation.country,
        "region": organisation.region,
        "languages": list(organisation.languages),
        **changes,
    }
    if errors := _errors(values, organisation):
        raise ValidationError(errors)
    changed = [name for name in sorted(changes) if getattr(organisation, name) != changes[name]]
    for name in changed:
        setattr(organisation, name, changes[name].strip() if name == "name" else changes[name])
    if changed:
        organisation.save(update_fields=changed)
    return changed
