"""The demo logins: one per role, printed at the end of a build."""

from __future__ import annotations

from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from renfort.accounts.models import User
from renfort.accounts.two_factor import key_text


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


# The secretariat's demo logins sign in with a second step (two-factor sign-in is required of
# the secretariat), with this fixed, published secret: for the demo data only, never a real
# account. An authenticator app takes it as TWO_FACTOR_DEMO_KEY_TEXT (base32);
# `renfort totp secretariat` prints the current code (DEBUG only).
TWO_FACTOR_DEMO_LOGINS = ("admin", "secretariat")
TWO_FACTOR_DEMO_KEY = b"renfort-demo-2fa-key".hex()


def two_factor_demo_enrol() -> None:
    """Enrol the secretariat's demo logins in two-factor sign-in with the demo secret."""
    for user in User.objects.filter(username__in=TWO_FACTOR_DEMO_LOGINS):
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(
            user=user, name="Demo authenticator", key=TWO_FACTOR_DEMO_KEY, confirmed=True
        )


def two_factor_help() -> str:
    """How to sign in with the demo's second step, printed after the logins."""
    names = " and ".join(TWO_FACTOR_DEMO_LOGINS)
    return (
        f"Two-factor sign-in: {names} (the secretariat) give a code after their password.\n"
        f"  In an authenticator app, add a time-based key: {key_text(TWO_FACTOR_DEMO_KEY)}\n"
        "  (the demo's published secret: never use it for a real account), or print the\n"
        "  current code with: DEBUG=true .venv/bin/renfort totp secretariat"
    )


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
