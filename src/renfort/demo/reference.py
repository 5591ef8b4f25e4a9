"""The demo's reference data, read from the files under ``data/``.

``countries.csv``: member administrations, real countries (ISO 3166-1 alpha-2) with their WCO
region, working languages (ISO 639-1, space-separated), the ``culture`` that picks plausible
personal names for their experts, the customs administration's own name where well known (an
empty name becomes "<country> Customs"), whether it lends experts to the pool, whether it is a
large administration (lending more of them), and whether a ``--small`` demo keeps it.
``regional_offices.csv``: one office per region, with its working languages.
``names.json``: ordinary first and last names by culture; no real person is meant.
"""

from __future__ import annotations

import csv
import io
import json
from importlib.resources import files
from typing import NamedTuple


class Country(NamedTuple):
    code: str
    name: str
    region: str
    languages: tuple[str, ...]
    administration: str
    culture: str

    @property
    def administration_name(self) -> str:
        return self.administration or f"{self.name} Customs"


def _text(name: str) -> str:
    return files("renfort.demo").joinpath("data", name).read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_text(name))))


_COUNTRY_ROWS = _rows("countries.csv")

COUNTRIES: tuple[Country, ...] = tuple(
    Country(
        row["code"],
        row["name"],
        row["region"],
        tuple(row["languages"].split()),
        row["administration"],
        row["culture"],
    )
    for row in _COUNTRY_ROWS
)

# Administrations that lend experts to the pool: large and mid-sized administrations of every
# region, so that every working language and region has experts.
LENDERS: frozenset[str] = frozenset(row["code"] for row in _COUNTRY_ROWS if row["lends_experts"])

# Large administrations, which lend more experts than the others.
LARGE: frozenset[str] = frozenset(row["code"] for row in _COUNTRY_ROWS if row["large"])

# The countries a --small demo keeps (every region, every language, the demo logins' ones).
SMALL: frozenset[str] = frozenset(row["code"] for row in _COUNTRY_ROWS if row["small"])

# Per region: the office's name, short name and working languages.
REGIONAL_OFFICES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    row["region"]: (row["name"], row["short_name"], tuple(row["languages"].split()))
    for row in _rows("regional_offices.csv")
}

# Per culture: (first names, last names).
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    culture: (tuple(names["first_names"]), tuple(names["last_names"]))
    for culture, names in json.loads(_text("names.json")).items()
}
