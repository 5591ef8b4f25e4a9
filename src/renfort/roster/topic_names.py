"""The seeded topic names, marked for translation (the names themselves live in the database,
seeded by migration 0002; ``Topic.__str__`` translates them)."""

from django.utils.translation import gettext_noop

TOPIC_NAMES = [
    gettext_noop("Revised Kyoto Convention (RKC)"),
    gettext_noop("SAFE Framework of Standards"),
    gettext_noop("Authorized Economic Operator (AEO)"),
    gettext_noop("Risk management"),
    gettext_noop("Customs valuation"),
    gettext_noop("HS classification"),
    gettext_noop("Rules of origin"),
    gettext_noop("Post-clearance audit"),
    gettext_noop("Integrity"),
    gettext_noop("Time Release Study"),
    gettext_noop("Human resource management"),
    gettext_noop("Strategic planning"),
    gettext_noop("Coordinated border management"),
    gettext_noop("Single window"),
    gettext_noop("E-commerce"),
    gettext_noop("Intellectual property rights (IPR)"),
    gettext_noop("Enforcement"),
    gettext_noop("Data analytics"),
    gettext_noop("Transit"),
    gettext_noop("Trade facilitation"),
]
