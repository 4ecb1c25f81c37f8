"""Date formats per language (FORMAT_MODULE_PATH). Templates and code name a format
(`|date:"DATETIME_MINUTE_FORMAT"`, `formats.date_format(value, "DATE_FORMAT")`) instead of writing
「Y年n月j日」, so English pages read "Nov 23, 2026". Names not defined here fall back to Django's
own locale formats; every custom name must exist in each language listed in settings.LANGUAGES."""
