"""The demo data set built by ``renfort demo``: see ``build.py`` and docs/demo.md."""

from __future__ import annotations

from renfort.lib.demo.build import (
    DEFAULT_SEED,
    DEMO_LOGINS,
    DemoResult,
    Login,
    anchor_for,
    build_demo,
    existing_logins,
)

__all__ = [
    "DEFAULT_SEED",
    "DEMO_LOGINS",
    "DemoResult",
    "Login",
    "anchor_for",
    "build_demo",
    "existing_logins",
    "login_table",
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
