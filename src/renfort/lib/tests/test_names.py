"""Language and country names in the reader's language, sorted as that reader expects: no
codes beside the names, accents folded, case ignored."""

from __future__ import annotations

from django.utils import translation

from renfort.lib.countries import country_choices, country_name
from renfort.lib.languages import ISO_639_1, language_choices, language_name, name_key


def test_language_names_follow_the_reader() -> None:
    assert language_name("no", "en") == "Norwegian"
    assert language_name("no", "fr") == "norvégien"
    with translation.override("fr"):
        assert language_name("en") == "anglais"
    assert language_name("xx", "fr") == "xx"


def test_language_choices_are_names_sorted_in_the_readers_language() -> None:
    with translation.override("fr"):
        choices = language_choices()
    names = [name for _code, name in choices]
    assert len(choices) == len(ISO_639_1)
    assert ("no", "norvégien") in choices
    assert not any(name.endswith(f"({code})") for code, name in choices), "no code beside a name"
    assert names.index("néerlandais") < names.index("norvégien") < names.index("occitan")
    # "espagnol" before "estonien" before "éwé" before "féroïen": accents do not send a name last
    assert names.index("estonien") < names.index("éwé") < names.index("féroïen")
    with translation.override("en"):
        english = [name for _code, name in language_choices()]
    assert english.index("Dutch") < english.index("English") < english.index("French")


def test_country_choices_are_sorted_in_the_readers_language() -> None:
    with translation.override("fr"):
        names = [name for _code, name in country_choices()]
        assert country_name("DE") == "Allemagne"
    assert names.index("Égypte") < names.index("Émirats arabes unis") < names.index("Équateur")
    assert names.index("Équateur") < names.index("Érythrée") < names.index("Espagne")
    assert "Union européenne" not in names and "Nations Unies" not in names
    assert country_choices(["SN", "BE", "KE"], "fr") == [
        ("BE", "Belgique"),
        ("KE", "Kenya"),
        ("SN", "Sénégal"),
    ]


def test_name_key_folds_accents_and_case() -> None:
    assert sorted(["Zambie", "Égypte", "allemagne", "Espagne"], key=name_key) == [
        "allemagne",
        "Égypte",
        "Espagne",
        "Zambie",
    ]
