"""French formats (FORMAT_MODULE_PATH): "11 mars 2027", "mars 2027", "1 250,50".

Month names are written out, as French does ("11 janvier 2027"); the thousands are separated
by a narrow no-break space. Input formats are Django's own (ISO dates are always read).
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
