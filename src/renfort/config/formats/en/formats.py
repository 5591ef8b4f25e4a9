"""English formats (FORMAT_MODULE_PATH): "11 Mar 2027", "Mar 2027", "1,250.50".

Whatever is not set here comes from Django's own English formats (input formats included:
forms read ISO dates from ``<input type="date">`` whatever the language).
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "j M"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
