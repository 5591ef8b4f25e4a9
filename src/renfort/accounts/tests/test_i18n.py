"""English and French: the French catalogue is complete, compiled and current, and used.

When a test here fails after you add or change a user-facing string, run ``make messages``,
translate the new entries in ``src/renfort/locale/fr/LC_MESSAGES/django.po`` (no fuzzy ones),
and compile (``make messages`` compiles too).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib  # type: ignore[import-untyped, unused-ignore]
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

import renfort
from renfort.accounts.models import Notification

PACKAGE = Path(renfort.__file__).resolve().parent
PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
# The pure planner package has no strings for people (it writes English for files and logs);
# the same pattern is in the Makefile's `messages` target, run from src/.
IGNORED = "renfort/planner/*"


def _catalogue() -> polib.POFile:
    assert PO.exists(), f"{PO} is missing: run `make messages` and translate it."
    return polib.pofile(str(PO))


def _label(entry: polib.POEntry) -> str:
    where = ", ".join(f"{f}:{n}" for f, n in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})"


def test_every_french_entry_is_translated_and_not_fuzzy() -> None:
    po = _catalogue()
    untranslated = [_label(e) for e in po.untranslated_entries()]
    fuzzy = [_label(e) for e in po.fuzzy_entries()]
    assert not untranslated, "Untranslated French entries:\n" + "\n".join(untranslated)
    assert not fuzzy, "Fuzzy French entries (check, then remove the flag):\n" + "\n".join(fuzzy)


def test_french_entries_keep_their_placeholders() -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    broken = []
    for entry in _catalogue().translated_entries():
        wanted = sorted(placeholder.findall(entry.msgid))
        strings = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in strings:
            if sorted(placeholder.findall(text)) != wanted and not entry.msgid_plural:
                broken.append(_label(entry))
    assert not broken, "Placeholders differ between English and French:\n" + "\n".join(broken)


def test_compiled_catalogue_matches_the_po_file() -> None:
    assert MO.exists(), f"{MO} is missing: run `make messages` (compilemessages)."
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    stale = [
        _label(e)
        for e in _catalogue().translated_entries()
        if compiled.get((e.msgctxt, e.msgid)) != (e.msgstr, e.msgstr_plural)
    ]
    assert not stale, "The .mo file is out of date; recompile:\n" + "\n".join(stale[:20])


@pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgmerge") and shutil.which("msguniq")),
    reason="GNU gettext tools (xgettext, msgmerge, msguniq) are not installed",
)
def test_every_source_string_is_in_the_french_catalogue(tmp_path, monkeypatch) -> None:
    """Re-run makemessages on a copy of the sources: no string may be missing from the .po."""
    copy = tmp_path / "renfort"
    for path in PACKAGE.rglob("*"):
        relative = path.relative_to(PACKAGE)
        if (
            path.is_file()
            and path.suffix in SOURCE_SUFFIXES
            and relative.parts[0] not in {"planner", "locale", "static"}
            and "tests" not in relative.parts
        ):
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    locale = copy / "locale"
    locale.mkdir()
    # From the parent, as `make messages` runs it: the pattern names the planner package
    # (renfort/planner) and no other folder called planner (the planning app's templates).
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command(
            "makemessages",
            locale=["fr"],
            ignore_patterns=[IGNORED],
            no_obsolete=True,
            verbosity=0,
        )
    fresh = polib.pofile(str(locale / "fr" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid, e.msgid_plural) for e in _catalogue() if not e.obsolete}
    missing = [
        _label(e) for e in fresh if e.msgid and (e.msgctxt, e.msgid, e.msgid_plural) not in known
    ]
    assert not missing, (
        "Strings missing from the French catalogue (run `make messages` and translate):\n"
        + "\n".join(missing)
    )


@pytest.mark.django_db
def test_french_browser_gets_french_pages(client) -> None:
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Se connecter" in html
    assert "Sign in" not in html


def test_language_switcher_turns_pages_french(client, member) -> None:
    client.force_login(member)
    response = client.post(
        reverse("accounts:set_language"), {"language": "fr", "next": reverse("home")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    member.refresh_from_db()
    assert member.language == "fr"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in html
    assert "Ce qui vous attend" in html
    assert "What waits for you" not in html
    assert "Point focal du Membre" in html


def test_dates_follow_the_language(client, member) -> None:
    notification = Notification.objects.create(recipient=member, subject="Mission moved")
    Notification.objects.filter(pk=notification.pk).update(created_at="2027-03-04T09:05:00+00:00")
    client.force_login(member)
    english = client.get(reverse("accounts:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(reverse("accounts:inbox"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "4 Mar 2027" in english
    assert "4 mars 2027" in french


def test_anonymous_switch_sets_only_the_cookie(client, db) -> None:
    response = client.post(
        reverse("accounts:set_language"), {"language": "fr", "next": reverse("accounts:login")}
    )
    assert response.cookies["django_language"].value == "fr"
    assert "Se connecter" in client.get(reverse("accounts:login")).content.decode()


def test_switch_ignores_an_unknown_language(client, member) -> None:
    client.force_login(member)
    client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/"})
    member.refresh_from_db()
    assert member.language == "en"


def test_switch_needs_post(client, member) -> None:
    client.force_login(member)
    assert client.get(reverse("accounts:set_language")).status_code == 405


def test_user_set_language_refuses_an_unknown_language(member) -> None:
    from django.core.exceptions import ValidationError

    from renfort.accounts.preferences import user_set_language

    with pytest.raises(ValidationError, match="Language: de is not one of en, fr"):
        user_set_language(user=member, language="de")
    member.refresh_from_db()
    assert member.language == "en"
    assert user_set_language(user=member, language="fr").language == "fr"


def test_refused_status_change_reads_in_french():
    from django.utils import translation

    from renfort.lib.states import transition_error

    with translation.override("fr"):
        message = transition_error(
            "Demande R-1", "declined", "accepted", {"declined": frozenset()}, {}
        )
    assert message is not None
    assert "ne peut pas passer de" in message
    assert "aucun (statut final)" in message


def test_french_translations_have_their_no_break_spaces() -> None:
    """UX.md, "Words": a no-break space before : ; ? ! and inside « » in French. Fix with
    `renfort typeset_catalogue` (rewrites the .po file and compiles it)."""
    from renfort.accounts.management.commands.typeset_catalogue import typeset_catalogue

    _text, changes = typeset_catalogue(PO.read_text(encoding="utf-8"))
    assert not changes, "Run `renfort typeset_catalogue`; French spacing missing in:\n" + "\n".join(
        repr(before) for before, _after in changes[:20]
    )


def test_typeset_catalogue_keeps_wrapping_and_the_header() -> None:
    from renfort.accounts.management.commands.typeset_catalogue import typeset_catalogue

    source = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Status: %(s)s"\nmsgstr "Statut : %(s)s"\n\n'
        'msgid "A long one"\nmsgstr ""\n"Une longue ; "\n"très « longue »"\n\n'
        'msgid "Glued"\nmsgstr "Collé: <a href=\\"?p=1&amp;q=2\\">10:30</a>"\n'
    )
    text, changes = typeset_catalogue(source)
    assert len(changes) == 3
    assert text == (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Status: %(s)s"\nmsgstr "Statut\u00a0: %(s)s"\n\n'
        'msgid "A long one"\nmsgstr ""\n"Une longue\u00a0; "\n"très «\u00a0longue\u00a0»"\n\n'
        'msgid "Glued"\nmsgstr "Collé\u00a0: <a href=\\"?p=1&amp;q=2\\">10:30</a>"\n'
    )
    assert typeset_catalogue(text)[1] == []
