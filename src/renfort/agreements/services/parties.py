"""Who may be party to an agreement, by its kind (docs/rules.md, "Agreements and results")."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, OrganisationKind
from renfort.agreements.models import AgreementKind, PartyRole

# A bound on the parties of one agreement, so that its page stays one page.
MAX_PARTIES = 20


def _role_name(role: str) -> str:
    return str(PartyRole(role).label).lower() if role in PartyRole.values else role


def party_errors(kind: str, parties: Sequence[tuple[Organisation, str]]) -> list[str]:
    """Whether the parties fit the kind of agreement."""
    errors = []
    bad_roles = sorted({role for _org, role in parties if role not in PartyRole.values})
    if bad_roles:
        errors.append(
            _("Parties: %(roles)s is not funding, implementing, beneficiary or extending.")
            % {"roles": ", ".join(bad_roles)}
        )
    seen: set[tuple[int, str]] = set()
    for org, role in parties:
        if (org.pk, role) in seen:
            errors.append(
                _("Parties: %(org)s appears twice as %(role)s.")
                % {"org": org.name, "role": _role_name(role)}
            )
        seen.add((org.pk, role))
    orgs = {org.pk: org for org, _role in parties}
    count = len(orgs)
    if count > MAX_PARTIES:
        errors.append(
            _("Parties: %(n)s organisations; an agreement binds at most %(max)s.")
            % {"n": count, "max": MAX_PARTIES}
        )
    if kind == AgreementKind.BILATERAL and count != 2:
        errors.append(
            _("Parties: a bilateral agreement binds 2 organisations, not %(n)s.") % {"n": count}
        )
    elif kind == AgreementKind.MULTILATERAL and count < 3:
        errors.append(
            _("Parties: a multilateral agreement binds 3 organisations or more, not %(n)s.")
            % {"n": count}
        )
    elif kind == AgreementKind.TRIPARTITE:
        if count != 3:
            errors.append(
                _(
                    "Parties: a tripartite agreement binds 3 organisations (the secretariat, a "
                    "donor and a beneficiary), not %(n)s."
                )
                % {"n": count}
            )
        else:
            secretariat = any(o.kind == OrganisationKind.SECRETARIAT for o in orgs.values())
            donor = any(
                role == PartyRole.FUNDING and org.kind != OrganisationKind.SECRETARIAT
                for org, role in parties
            )
            beneficiary = any(
                role == PartyRole.BENEFICIARY and org.kind == OrganisationKind.MEMBER_ADMINISTRATION
                for org, role in parties
            )
            missing = [
                name
                for name, present in (
                    (_("the secretariat"), secretariat),
                    (_("a funding donor"), donor),
                    (_("a beneficiary member administration"), beneficiary),
                )
                if not present
            ]
            if missing:
                errors.append(
                    _("Parties: a tripartite agreement needs %(missing)s.")
                    % {"missing": ", ".join(missing)}
                )
    return errors
