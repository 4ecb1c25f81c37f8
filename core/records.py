"""Text kept in records (a case's history, a request's events): written in Japanese, the language of the
programme's records and of the secretariat who checks them, whatever language the person acting reads.
Messages are marked with gettext_noop at the call, so they stay in the catalogue."""

from django.utils import translation


def in_japanese(message, **params):
    """`message` % `params` in Japanese; lazy labels among the params (choice labels) are read in Japanese too."""
    with translation.override("ja"):
        text = translation.gettext(message)
        return text % {key: str(value) for key, value in params.items()} if params else text
