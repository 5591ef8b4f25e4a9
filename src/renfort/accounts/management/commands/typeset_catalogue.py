"""``renfort typeset_catalogue``: French typography in the French catalogue: a no-break space
before ``: ; ? !`` and inside ``« »`` in every translation (``lib.typography``), tags and
character references left alone. ``--check`` lists what it would change and fails if anything
would; without it, the ``.po`` file is rewritten in place (only the lines that change, wrapped
as they were) and compiled with ``msgfmt``.

Run it after adding French entries; ``accounts/tests/test_i18n.py`` fails until you do.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped, unused-ignore]
from django.core.management.base import BaseCommand, CommandError, CommandParser

import renfort
from renfort.lib.typography import typeset_markup

PO = Path(renfort.__file__).resolve().parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
_MSGSTR = re.compile(r'^(msgstr(?:\[\d+\])?) "(.*)"$')


def typeset_catalogue(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The catalogue ``text`` with French spacing in its translations (the header aside), and
    the ``(before, after)`` of each translation changed. Unchanged lines stay byte for byte."""
    lines = text.split("\n")
    out: list[str] = []
    changes: list[tuple[str, str]] = []
    header = True
    i = 0
    while i < len(lines):
        match = _MSGSTR.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].startswith('"'):
            end += 1
        pieces = [match.group(2)] + [line[1:-1] for line in lines[i + 1 : end]]
        joined = "".join(pieces)
        before = polib.unescape(joined)
        after = before if header else typeset_markup(before)
        header = False
        if after == before:
            out.extend(lines[i:end])
        else:
            changes.append((before, after))
            out.extend(_lines(match.group(1), pieces, polib.escape(after)))
        i = end
    return "\n".join(out), changes


def _lines(keyword: str, pieces: list[str], escaped: str) -> list[str]:
    """``escaped`` cut where ``pieces`` were cut when its length is unchanged (a space became
    a no-break space), else on one line."""
    if len(escaped) != sum(len(p) for p in pieces):
        return [f'{keyword} "{escaped}"']
    cut, start = [], 0
    for piece in pieces:
        cut.append(escaped[start : start + len(piece)])
        start += len(piece)
    return [f'{keyword} "{cut[0]}"', *(f'"{piece}"' for piece in cut[1:])]


class Command(BaseCommand):
    help = "Put French no-break spaces into the French catalogue (--check: only list them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="List, change nothing.")
        parser.add_argument("--po", default=str(PO), help="The catalogue (default: Renfort's).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["po"])
        text, changes = typeset_catalogue(path.read_text(encoding="utf-8"))
        for before, after in changes:
            self.stdout.write(f"{before!r} -> {after!r}")
        if options["check"]:
            if changes:
                raise CommandError(f"{len(changes)} French translation(s) lack their spacing.")
            self.stdout.write("Every French translation has its spacing.")
            return
        if changes:
            path.write_text(text, encoding="utf-8")
            msgfmt = shutil.which("msgfmt")
            if msgfmt is None:
                raise CommandError("Saved; msgfmt is missing: compile the .mo file yourself.")
            mo = path.with_suffix(".mo")
            subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(path)], check=True)
        self.stdout.write(f"{len(changes)} French translation(s) fixed.")
