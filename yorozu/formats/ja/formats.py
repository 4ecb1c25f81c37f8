# Django's own ja formats stay (DATE_FORMAT "Y年n月j日", MONTH_DAY_FORMAT "n月j日"); these add the
# combinations the pages and mails print.
DATE_FORMAT = "Y年n月j日"
MONTH_DAY_FORMAT = "n月j日"
DATETIME_MINUTE_FORMAT = "Y年n月j日 H:i"
DATETIME_SECOND_FORMAT = "Y年n月j日 H:i:s"
MONTH_DAY_WEEKDAY_FORMAT = "n月j日（D）"
MONTH_DAY_TIME_FORMAT = "n月j日 H:i"
DATE_WEEKDAY_FORMAT = "Y年n月j日（D）"
DATETIME_WEEKDAY_FORMAT = "Y年n月j日（D） H:i"
ISO_DATE_WEEKDAY_FORMAT = "Y-m-d（D）"
