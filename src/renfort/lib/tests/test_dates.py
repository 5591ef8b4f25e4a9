"""The one date range: 2000-01-01 to 2100-12-31."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from renfort.lib.dates import (
    EARLIEST,
    LATEST,
    in_range,
    out_of_range,
    parse_date,
    parse_month,
    validate_date_in_range,
)


def test_the_range_includes_its_ends() -> None:
    assert datetime.date(2000, 1, 1) == EARLIEST
    assert datetime.date(2100, 12, 31) == LATEST
    assert in_range(EARLIEST) and in_range(LATEST)
    assert not in_range(datetime.date(1999, 12, 31))
    assert not in_range(datetime.date(2101, 1, 1))


def test_the_validator_refuses_with_a_code() -> None:
    validate_date_in_range(LATEST)
    with pytest.raises(ValidationError) as exc:
        validate_date_in_range(datetime.date(1, 1, 1))
    assert exc.value.code == "date_range"
    assert exc.value.messages == [
        "0001-01-01 is outside the dates Renfort accepts (2000-01-01 to 2100-12-31)."
    ]


def test_services_get_messages_keyed_by_argument() -> None:
    assert out_of_range(start=("First day", EARLIEST), end=("Last day", None)) == {}
    assert out_of_range(end=("Last day", datetime.date(9999, 12, 31))) == {
        "end": "Last day: 9999-12-31 is outside the dates Renfort accepts "
        "(2000-01-01 to 2100-12-31)."
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, (None, None)),
        ("", (None, None)),
        (" 2030-03-02 ", (datetime.date(2030, 3, 2), None)),
        ("2030-02-30", (None, "From: “2030-02-30” is not a date such as 2030-03-02.")),
        ("soon", (None, "From: “soon” is not a date such as 2030-03-02.")),
        (
            "0001-01-01",
            (
                None,
                "From: 0001-01-01 is outside the dates Renfort accepts (2000-01-01 to 2100-12-31).",
            ),
        ),
    ],
)
def test_a_get_parameter_is_parsed_without_raising(text, expected) -> None:
    assert parse_date(text, "From") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, (None, None)),
        ("", (None, None)),
        (" 2030-03 ", (datetime.date(2030, 3, 1), None)),
        ("2000-01", (EARLIEST, None)),
        ("2100-12", (datetime.date(2100, 12, 1), None)),
        ("2026-13", (None, "Month: “2026-13” is not a month such as 2030-03.")),
        ("2026-13-45", (None, "Month: “2026-13-45” is not a month such as 2030-03.")),
        ("soon", (None, "Month: “soon” is not a month such as 2030-03.")),
        (
            "1999-12",
            (
                None,
                "Month: 1999-12 is outside the dates Renfort accepts (2000-01-01 to 2100-12-31).",
            ),
        ),
        (
            "0000-01",
            (
                None,
                "Month: 0000-01 is outside the dates Renfort accepts (2000-01-01 to 2100-12-31).",
            ),
        ),
    ],
)
def test_a_month_parameter_is_parsed_without_raising(text, expected) -> None:
    assert parse_month(text, "Month") == expected
