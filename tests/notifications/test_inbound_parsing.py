"""Real Japanese mail parses: every encoding clients send, full-width forms, the subject's variants."""

import base64
import datetime

import pytest

from notifications.inbound_parse import decode_header, parse_message, sniff
from notifications.inbound_subject import company_key, keys_match, parse_subject, person_key
from tests.notifications.inbound_builders import build_mail, cp50221, heic_bytes, jpeg_bytes, pdf_bytes, png_bytes

SUBJECT = "㈱ぱそな建設／専門家　次郎／８月２１日（水）１０：３０～１５：００"


@pytest.mark.parametrize("charset", ["iso-2022-jp", "shift_jis", "utf-8"])
@pytest.mark.parametrize("style", ["encoded", "q", "raw"])
def test_subjects_decode_in_every_encoding_and_header_style(charset, style):
    raw = build_mail(SUBJECT, charset=charset, style=style)

    assert parse_message(raw).subject == SUBJECT.replace("\u3000", " ")


def test_iso_2022_jp_with_microsoft_extensions_decodes():
    # ㈱ and ① are outside JIS X 0208: Python's strict codec refuses what Outlook sends.
    assert decode_header(b"=?ISO-2022-JP?B?" + base64.b64encode(cp50221("㈱①髙橋")) + b"?=") == "㈱①髙橋"


def test_encoded_words_that_cut_a_utf8_character_in_half_are_joined():
    raw = build_mail("ぱそな建設/専門家次郎/8月21日 10:30", charset="utf-8", style="split")

    assert parse_message(raw).subject == "ぱそな建設/専門家次郎/8月21日 10:30"


def test_shift_jis_bytes_mislabelled_as_utf8_are_still_read():
    header = b"=?UTF-8?B?" + base64.b64encode("ぱそな建設/専門家次郎".encode("cp932")) + b"?="

    assert decode_header(header) == "ぱそな建設/専門家次郎"


def test_raw_iso_2022_jp_header_without_encoded_words_decodes():
    assert decode_header(cp50221("ぱそな建設/専門家次郎")) == "ぱそな建設/専門家次郎"


def test_sender_address_is_read_lowercase_with_its_japanese_name():
    parsed = parse_message(build_mail("件名", sender="Yamada.Hanako@Example.JP", sender_name="山田 花子"))

    assert (parsed.from_address, parsed.from_name) == ("yamada.hanako@example.jp", "山田 花子")


@pytest.mark.parametrize("charset", ["iso-2022-jp", "shift_jis", "utf-8"])
def test_body_and_japanese_attachment_names_decode(charset):
    raw = build_mail("件名", charset=charset, body="本日の支援の写真です。",
                     attachments=[("支援の様子.jpg", jpeg_bytes(), "image/jpeg")])

    parsed = parse_message(raw)

    assert "本日の支援の写真です。" in parsed.body_text
    assert [(a.filename, a.sniffed) for a in parsed.attachments] == [("支援の様子.jpg", "jpeg")]


def test_file_types_are_told_by_content_not_by_name():
    assert [sniff(jpeg_bytes()), sniff(png_bytes()), sniff(heic_bytes()), sniff(pdf_bytes()), sniff(b"MZ\x90\x00")] == [
        "jpeg", "png", "heic", "pdf", ""]


@pytest.mark.parametrize("text", [
    "ぱそな建設/専門家次郎/8月21日 10:30",
    "ぱそな建設／専門家次郎／８月２１日　１０：３０",
    "ぱそな建設 / 専門家次郎 / 8/21 10:30",
    "ぱそな建設＿専門家次郎＿8月21日 10時30分",
    "Re: ぱそな建設/専門家次郎/8月21日(水) 10:30",
    "ぱそな建設/専門家 次郎/2026年8月21日 午前10時半",
])
def test_the_subject_variants_people_type_all_read_the_same(text):
    subject = parse_subject(text)

    assert (subject.month, subject.day, subject.time) == (8, 21, datetime.time(10, 30))
    assert company_key(subject.company) == "パソナ建設"
    assert person_key(subject.expert) == "専門家次郎"


def test_the_photo_subject_reads_as_a_range():
    subject = parse_subject("ぱそな建設/専門家次郎/8月21日(水)10:30～15:00")

    assert (subject.time, subject.end_time, subject.is_range) == (datetime.time(10, 30), datetime.time(15), True)


def test_a_time_without_a_date_is_read():
    subject = parse_subject("ぱそな建設/専門家次郎/15:30 終了")

    assert (subject.day, subject.time, subject.kind_hint) == (None, datetime.time(15, 30), "end")


@pytest.mark.parametrize("text,problem", [
    ("", "件名がありません"),
    ("お世話になっております", "読み取れません"),
    ("ぱそな建設/専門家次郎/13月40日 10:30", "正しくありません"),
    ("ぱそな建設/専門家次郎/8月21日 25:10", "正しくありません"),
])
def test_unreadable_subjects_say_why(text, problem):
    assert problem in parse_subject(text).problem


def test_the_year_is_the_one_closest_to_the_receipt():
    assert parse_subject("a/b/1月5日 10:00").day_near(datetime.date(2026, 12, 28)) == datetime.date(2027, 1, 5)
    assert parse_subject("a/b/12月28日 10:00").day_near(datetime.date(2027, 1, 5)) == datetime.date(2026, 12, 28)


@pytest.mark.parametrize("written", ["株式会社パソナ建設", "㈱ぱそな建設", "（株）パソナ建設", "パソナ建設 株式会社", "ﾊﾟｿﾅ建設"])
def test_company_legal_forms_and_kana_are_folded(written):
    assert company_key(written) == company_key("株式会社パソナ建設")


def test_a_short_name_matches_the_registered_one_but_a_single_character_does_not():
    assert keys_match(company_key("有限会社山田"), company_key("有限会社山田商店"))
    assert not keys_match(company_key("山"), company_key("有限会社山田商店"))
