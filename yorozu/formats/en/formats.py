# The same names as ja/formats.py, written the English way ("Nov 23, 2026").
DATE_FORMAT = "M j, Y"
MONTH_DAY_FORMAT = "M j"
DATETIME_MINUTE_FORMAT = "M j, Y H:i"
DATETIME_SECOND_FORMAT = "M j, Y H:i:s"
MONTH_DAY_TIME_FORMAT = "M j, H:i"
DATE_WEEKDAY_FORMAT = "D, M j, Y"
DATETIME_WEEKDAY_FORMAT = "D, M j, Y H:i"
ISO_DATE_WEEKDAY_FORMAT = "Y-m-d (D)"
