"""What an import says about a file and its rows (``lib.messages``): stored with the job as
codes and parameters, rendered in the reader's language. A column is named as the file names
it (the headers are the same in every language: docs/imports.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfort.lib.messages import TEXT, Param, register

NUMBER = Param(str, "500")
COLUMN = Param(str, "email")
VALUE = Param(str, "X")

register(
    "imports.file.too_big",
    body=_("The file is too large: at most %(limit)s bytes can be imported (split it)."),
    limit=NUMBER,
)
register(
    "imports.file.format",
    body=_(
        "%(name)s is neither a CSV file (.csv) nor an Excel workbook (.xlsx): save it in one "
        "of these formats."
    ),
    name=TEXT,
)
register(
    "imports.file.xls",
    body=_("%(name)s is an old Excel file (.xls): save it as an Excel workbook (.xlsx)."),
    name=TEXT,
)
register(
    "imports.file.encoding",
    body=_("The CSV file is not in UTF-8: save it as “CSV UTF-8” and upload it again."),
)
register(
    "imports.file.unreadable",
    body=_("%(name)s cannot be read as an Excel workbook: save it again as .xlsx."),
    name=TEXT,
)
register("imports.file.empty", body=_("The file is empty: it has no header line."))
register("imports.file.no_rows", body=_("The file has a header line but no row to import."))
register(
    "imports.file.too_many_rows",
    body=_("The file has more than %(limit)s rows: split it into smaller files."),
    limit=NUMBER,
)
register(
    "imports.file.missing_columns",
    body=_("Missing columns: %(columns)s. The template file has every column."),
    columns=TEXT,
)
register(
    "imports.file.unknown_columns",
    body=_("Unknown columns: %(columns)s. The columns of this import are: %(expected)s."),
    columns=TEXT,
    expected=TEXT,
)
register(
    "imports.file.repeated_column",
    body=_("The column %(column)s appears twice in the header line."),
    column=COLUMN,
)
register(
    "imports.file.changed",
    body=_("The stored file no longer matches the one checked: upload it again."),
)
register(
    "imports.file.failed",
    body=_("The file could not be processed. Nothing was imported; try again later."),
)
register("imports.row.required", body=_("%(column)s: required."), column=COLUMN)
register(
    "imports.row.unknown_organisation",
    body=_("%(column)s: no organisation has the code %(value)s."),
    column=COLUMN,
    value=VALUE,
)
register(
    "imports.row.ambiguous_organisation",
    body=_("%(column)s: several organisations have the code %(value)s; use the country code."),
    column=COLUMN,
    value=VALUE,
)
register(
    "imports.row.not_yours",
    body=_("%(column)s: you may import only for %(organisation)s, not for %(value)s."),
    column=COLUMN,
    value=VALUE,
    organisation=TEXT,
)
register(
    "imports.row.repeated",
    body=_("This row names the same %(what)s as line %(line)s: keep one of them."),
    what=TEXT,
    line=NUMBER,
)
register(
    "imports.row.no_key",
    body=_("email, staff_number: give at least one of them: they identify the expert."),
)
register(
    "imports.row.key_conflict",
    body=_(
        "email, staff_number: the e-mail and the staff number name two different experts "
        "of this administration."
    ),
)
register(
    "imports.row.ambiguous_expert",
    body=_(
        "email: several experts of this administration have the e-mail %(value)s; "
        "give their staff number."
    ),
    value=VALUE,
)
register(
    "imports.row.number",
    body=_("%(column)s: %(value)s is not a whole number."),
    column=COLUMN,
    value=VALUE,
)
register(
    "imports.row.date",
    body=_("%(column)s: %(value)s is not a date written YYYY-MM-DD."),
    column=COLUMN,
    value=VALUE,
)
register(
    "imports.row.skills",
    body=_("%(column)s: %(value)s is not written topic:level, as in risk_management:3."),
    column=COLUMN,
    value=VALUE,
)
register(
    "imports.row.unknown_topics",
    body=_("%(column)s: no topic has the code %(value)s."),
    column=COLUMN,
    value=VALUE,
)
register(
    "imports.row.unchangeable",
    body=_(
        "%(column)s: an import does not change it (Renfort has %(current)s, the file "
        "%(value)s); change it in Renfort or correct the file."
    ),
    column=COLUMN,
    value=VALUE,
    current=VALUE,
)
register(
    "imports.row.unknown_focal_point",
    body=_(
        "%(column)s: %(value)s is not an active member focal point of the requesting "
        "administrations."
    ),
    column=COLUMN,
    value=VALUE,
)
register(
    "imports.row.rule",
    body=_("Refused by Renfort's rules: %(message)s"),
    message=Param(str, "Languages: give at least one working language."),
)
register(
    "imports.row.too_long",
    body=_("%(column)s: at most %(limit)s characters."),
    column=COLUMN,
    limit=NUMBER,
)
register(
    "imports.row.country",
    body=_("%(column)s: %(value)s is not an ISO 3166-1 country code such as SN."),
    column=COLUMN,
    value=VALUE,
)
register(
    "imports.row.yes_no",
    body=_("%(column)s: %(value)s is neither yes nor no."),
    column=COLUMN,
    value=VALUE,
)
register(
    "imports.row.secretariat_only",
    body=_("Only the secretariat imports organisations."),
)
