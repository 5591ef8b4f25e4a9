"""What to write in each column, shown on the upload page in the reader's language (the
headers themselves are the same in every language: docs/imports.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COLUMN_HELP = {
    "home_administration": _(
        "Code of the member administration lending the expert: its country code, such as SN."
    ),
    "email": _(
        "E-mail address. Give the e-mail, the staff number or both: they identify the expert."
    ),
    "staff_number": _("The expert's number in the home administration."),
    "first_name": _("First name."),
    "last_name": _("Last name."),
    "categories": _(
        "One or more of modernization_adviser, technical_operational_expert, specialized_trainer."
    ),
    "languages": _("Working languages as ISO 639-1 codes, such as fr en."),
    "skills": _(
        "Topic code and level from 1 to 4, such as risk_management:3 aeo:2. Replaces the "
        "expert's skills when given."
    ),
    "released_days_per_year": _("Whole number of days from 0 to 366 (30 when empty)."),
    "code": _("The organisation's code (its short name), such as GH or NDA."),
    "name": _("The organisation's full name."),
    "kind": _("member, donor or regional_office."),
    "country": _("ISO 3166-1 country code, such as GH: required for a member administration."),
    "region": _("WCO region code: AMC, EUR, APA, MENA, ESA or WCA."),
    "lends_experts": _("yes or no."),
    "external_reference": _(
        "The request's reference in your own system: a second file with the same reference "
        "updates the request instead of submitting it again."
    ),
    "administrations": _(
        "Codes of the requesting administrations, such as SN; several for a regional request."
    ),
    "focal_point": _(
        "Username or e-mail of the member focal point who submits the request. Required when "
        "the secretariat imports; otherwise you."
    ),
    "title": _("A short title."),
    "topics": _("Topic codes, such as risk_management aeo."),
    "level": _("strategic, tactical or operational."),
    "needs": _("What the administration needs."),
    "preferred_start": _("First day of the preferred period, YYYY-MM-DD (today or later)."),
    "preferred_end": _("Last day of the preferred period, YYYY-MM-DD."),
    "language": _("Language of the mission as an ISO 639-1 code, such as fr."),
    "priority": _("From 1 to 5 (3 when empty)."),
}
