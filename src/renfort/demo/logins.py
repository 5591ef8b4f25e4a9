"""The demo logins: one per role, printed at the end of a build."""

from __future__ import annotations

from dataclasses import dataclass

from renfort.accounts.models import User


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str
    who: str


# username -> (what the login is, password).
DEMO_LOGINS: dict[str, tuple[str, str]] = {
    "admin": ("Django superuser (and secretariat coordinator)", "admin-demo"),
    "secretariat": ("Secretariat coordinator", "secretariat-demo"),
    "regional": ("Regional coordinator", "regional-demo"),
    "member": ("Member focal point (asks for help, lends experts)", "member-demo"),
    "lender": ("Member focal point (lending administration)", "lender-demo"),
    "donor": ("Donor focal point", "donor-demo"),
    "expert": ("Expert", "expert-demo"),
}


def existing_logins() -> list[Login]:
    """The demo logins present in the database (passwords as the demo set them)."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=list(DEMO_LOGINS)).select_related("organisation")
    }
    return [
        Login(
            label,
            username,
            password,
            f"{users[username].get_full_name()}, {users[username].organisation}",
        )
        for username, (label, password) in DEMO_LOGINS.items()
        if username in users
    ]


def login_table(logins: list[Login]) -> str:
    """The logins as a plain-text table: role, username, password (and who it is)."""
    rows = [
        ("Role", "Username", "Password", "Name"),
        *((x.role, x.username, x.password, x.who) for x in logins),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
    out = [line]
    for n, row in enumerate(rows):
        out.append(
            "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
        )
        if n == 0:
            out.append(line)
    out.append(line)
    return "\n".join(out)
