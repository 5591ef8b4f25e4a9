"""Organisations and their people: the secretariat, regional offices, member administrations,
donors, and one or more users in each. They have no service, so they are created directly."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from renfort.accounts.models import Organisation, OrganisationKind, Role, User
from renfort.demo.context import DEMO_LENDER, DEMO_MEMBER, DEMO_REGION, BuildContext, ascii_slug
from renfort.demo.logins import DEMO_LOGINS, Login
from renfort.demo.reference import LENDERS, REGIONAL_OFFICES

# (name, short name, country, working languages)
DONORS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Nordic Trade Facilitation Fund", "NTFF", "SE", ("en",)),
    ("Atlantic Customs Partnership Facility", "ACPF", "CA", ("en", "fr")),
    ("Gulf Border Modernisation Trust", "GBMT", "AE", ("ar", "en")),
    ("Pacific Connectivity Fund", "PCF", "AU", ("en",)),
)

# Whose names the regional coordinators have, by region.
REGION_CULTURE: dict[str, str] = {
    "AMC": "hispanic",
    "EUR": "german",
    "APA": "japanese",
    "MENA": "arab",
    "ESA": "east_african",
    "WCA": "west_african_fr",
}


def build_organisations(ctx: BuildContext) -> None:
    ctx.secretariat = Organisation.objects.create(
        name="Secretariat – Capacity Building Directorate",
        short_name="Secretariat",
        kind=OrganisationKind.SECRETARIAT,
        country="BE",
        languages=["en", "fr"],
    )
    for region, (name, short, languages) in REGIONAL_OFFICES.items():
        ctx.offices[region] = Organisation.objects.create(
            name=name,
            short_name=short,
            kind=OrganisationKind.REGIONAL_OFFICE,
            region=region,
            languages=list(languages),
        )
    for c in ctx.countries:
        ctx.members[c.code] = Organisation.objects.create(
            name=c.administration_name,
            short_name=c.code,
            kind=OrganisationKind.MEMBER_ADMINISTRATION,
            country=c.code,
            region=c.region,
            languages=list(c.languages),
            lends_experts=c.code in LENDERS,
        )
    for name, short, country, languages in DONORS:
        ctx.donors[short] = Organisation.objects.create(
            name=name,
            short_name=short,
            kind=OrganisationKind.DONOR_AGENCY,
            country=country,
            languages=list(languages),
        )


def create_user(
    ctx: BuildContext,
    username: str,
    role: str,
    organisation: Organisation,
    culture: str,
    *,
    name: tuple[str, str] | None = None,
    password: str | None = None,
    label: str = "",
    language: str = "en",
    superuser: bool = False,
) -> User:
    """A user with a name of ``culture`` (unless ``name``); one with a ``password`` is a demo
    login."""
    first, last = name or ctx.pick_name(culture)
    domain = f"{ascii_slug(organisation.short_name or organisation.name)}.example.org"
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}",
        organisation=organisation,
        role=role,
        language=language,
        is_staff=superuser,
        is_superuser=superuser,
    )
    # Only the demo logins get a usable password (hashing is the slow part of a build).
    user.password = make_password(password) if password else make_password(None)
    user.save()
    if password:
        ctx.logins.append(
            Login(
                label or str(Role(role).label),
                username,
                password,
                f"{user.get_full_name()}, {organisation.name}",
            )
        )
    return user


def _demo_login(
    ctx: BuildContext, username: str, role: str, org: Organisation, culture: str
) -> User:
    label, password = DEMO_LOGINS[username]
    return create_user(ctx, username, role, org, culture, password=password, label=label)


def build_users(ctx: BuildContext) -> None:
    _build_coordinators(ctx)
    _build_focal_points(ctx)
    for short, org in ctx.donors.items():
        if short == "NTFF":
            ctx.donor_user = _demo_login(ctx, "donor", Role.DONOR_FOCAL_POINT, org, "nordic")
        else:
            create_user(ctx, f"donor-{short.lower()}", Role.DONOR_FOCAL_POINT, org, "anglo")


def _build_coordinators(ctx: BuildContext) -> None:
    sec = ctx.secretariat
    create_user(
        ctx,
        "admin",
        Role.SECRETARIAT_COORDINATOR,
        sec,
        "french",
        password=DEMO_LOGINS["admin"][1],
        label=DEMO_LOGINS["admin"][0],
        superuser=True,
    )
    ctx.coordinator = create_user(
        ctx,
        "secretariat",
        Role.SECRETARIAT_COORDINATOR,
        sec,
        "anglo",
        password=DEMO_LOGINS["secretariat"][1],
    )
    create_user(ctx, "secretariat-fr", Role.SECRETARIAT_COORDINATOR, sec, "french", language="fr")
    for region, office in ctx.offices.items():
        if region == DEMO_REGION:
            _demo_login(ctx, "regional", Role.REGIONAL_COORDINATOR, office, REGION_CULTURE[region])
        else:
            create_user(
                ctx,
                f"regional-{region.lower()}",
                Role.REGIONAL_COORDINATOR,
                office,
                REGION_CULTURE[region],
            )


def _build_focal_points(ctx: BuildContext) -> None:
    for code, org in ctx.members.items():
        c = ctx.country_of[code]
        language = "fr" if c.languages[0] == "fr" else "en"
        if code == DEMO_MEMBER:
            ctx.focal[code] = _demo_login(ctx, "member", Role.MEMBER_FOCAL_POINT, org, c.culture)
        elif code == DEMO_LENDER:
            ctx.focal[code] = _demo_login(ctx, "lender", Role.MEMBER_FOCAL_POINT, org, c.culture)
        else:
            ctx.focal[code] = create_user(
                ctx,
                f"focal-{code.lower()}",
                Role.MEMBER_FOCAL_POINT,
                org,
                c.culture,
                language=language,
            )
