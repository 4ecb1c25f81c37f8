"""The interface is Japanese first and switchable to English (SPEC §6)."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302


@pytest.mark.django_db
def test_login_page_is_shown_in_english_after_switching_language(client):
    # when a visitor picks English in the language switch
    _switch_to_english(client)
    # then the login page speaks English
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page and "Email address" in page and "Forgot your password?" in page
    assert "ログイン" not in page


@pytest.mark.django_db
def test_signup_page_is_shown_in_english_after_switching_language(client):
    _switch_to_english(client)
    page = client.get(reverse("accounts:signup")).content.decode()
    assert "Sign up as a small business" in page
    assert "I agree to the terms of use and the handling of personal information" in page
    assert "会員登録" not in page


@pytest.mark.django_db
def test_signup_errors_are_in_english_for_an_english_visitor(client):
    _switch_to_english(client)
    page = client.post(reverse("accounts:signup"), {"name": "Taro", "password1": "a", "password2": "b"}).content.decode()
    assert "The two passwords do not match." in page


@pytest.mark.django_db
def test_japanese_stays_the_default_language(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="ja">' in page and "ログイン" in page


def _entries(path):
    """(msgid, [msgstr…], flags) for each entry of a .po file; enough of the format for this check."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, flags, current = {}, set(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            match = re.match(r'(msgid_plural|msgid|msgctxt|msgstr(?:\[\d+\])?)\s+(".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if "msgid" in fields:
            yield fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], flags


def test_english_catalogue_translates_every_message():
    entries = [(msgid, strs, flags) for msgid, strs, flags in _entries(CATALOGUE) if msgid]
    assert len(entries) > 100
    untranslated = [msgid for msgid, strs, flags in entries if not all(strs)]
    fuzzy = [msgid for msgid, strs, flags in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_english_catalogue_keeps_every_placeholder():
    placeholders = lambda text: sorted(re.findall(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]", text))  # noqa: E731
    broken = [
        msgid for msgid, strs, _ in _entries(CATALOGUE) if msgid and any(placeholders(s) != placeholders(msgid) for s in strs)
    ]
    assert broken == []


def test_compiled_catalogue_matches_the_po_file():
    # `make run` uses the committed .mo without gettext installed; it must say what the .po says.
    with CATALOGUE.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    stale = []
    for msgid, strs, _ in _entries(CATALOGUE):
        if not msgid:
            continue
        compiled_strs = [catalog.get((msgid, i)) for i in range(len(strs))] if len(strs) > 1 else [catalog.get(msgid)]
        if compiled_strs != strs:
            stale.append(msgid)
    assert stale == []
