"""Real-format Japanese mail, built with the email package the way Japanese clients send it."""

import base64
import io
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email import encoders
from email.utils import format_datetime, make_msgid

from django.utils import timezone
from PIL import Image

from tests.visits.builders import jpeg_bytes, pdf_bytes  # noqa: F401  (re-exported for the tests)


def cp50221(text):
    """ISO-2022-JP as Outlook and Japanese phones write it: CP932 extensions (㈱ ① 髙) included."""
    out, mode = bytearray(), "ascii"
    for char in text:
        sjis = char.encode("cp932")
        if len(sjis) == 1 and sjis[0] < 0x80:
            if mode != "ascii":
                out += b"\x1b(B"
                mode = "ascii"
            out += sjis
            continue
        if len(sjis) == 1:  # half-width katakana
            if mode != "kana":
                out += b"\x1b(I"
                mode = "kana"
            out.append(sjis[0] - 0x80)
            continue
        if mode != "jis":
            out += b"\x1b$B"
            mode = "jis"
        s1, s2 = sjis
        s1 -= 0x40 if s1 >= 0xE0 else 0
        j1 = (s1 - 0x70) * 2 - 1
        if s2 >= 0x9F:
            j1, j2 = j1 + 1, s2 - 0x7E
        else:
            j2 = s2 - 0x1F - (1 if s2 >= 0x80 else 0)
        out += bytes((j1, j2))
    if mode != "ascii":
        out += b"\x1b(B"
    return bytes(out)


def encode_text(text, charset):
    if charset == "iso-2022-jp":
        try:
            return text.encode("iso2022_jp")
        except UnicodeEncodeError:
            return cp50221(text)
    if charset == "shift_jis":
        return text.encode("cp932")
    return text.encode("utf-8")


LABELS = {"iso-2022-jp": "ISO-2022-JP", "shift_jis": "Shift_JIS", "utf-8": "UTF-8"}


def encoded_words(text, charset, chunk=10, encoding="B"):
    """RFC 2047 words of `chunk` characters each, folded like a mail client does."""
    words = []
    for i in range(0, len(text), chunk):
        data = encode_text(text[i:i + chunk], charset)
        if encoding == "B":
            payload = base64.b64encode(data).decode()
        else:
            payload = "".join(chr(b) if 0x21 <= b <= 0x7E and chr(b) not in "=?_" else f"={b:02X}" for b in data)
        words.append(f"=?{LABELS[charset]}?{encoding}?{payload}?=")
    return "\r\n ".join(words).encode("ascii")


def utf8_words_split_inside_a_character(text):
    """Two encoded-words that cut one UTF-8 character in half (seen from real clients)."""
    data = text.encode("utf-8")
    cut = len(text[:3].encode("utf-8")) + 1
    return b"=?UTF-8?B?" + base64.b64encode(data[:cut]) + b"?=\r\n =?UTF-8?B?" + base64.b64encode(data[cut:]) + b"?="


def subject_header(subject, charset="iso-2022-jp", style="encoded"):
    if subject is None:
        return None
    if style == "encoded":
        return encoded_words(subject, charset)
    if style == "q":
        return encoded_words(subject, charset, encoding="Q")
    if style == "raw":  # 8-bit bytes straight in the header (old phones, some scripts)
        return encode_text(subject, charset)
    if style == "split":
        return utf8_words_split_inside_a_character(subject)
    raise ValueError(style)


def build_mail(subject, *, sender="sme@example.jp", sender_name="山田 花子", charset="iso-2022-jp", style="encoded",
               body="", attachments=(), message_id=None, to="jimukyoku@yorozu.example.jp", date=None):
    """Bytes of one mail. attachments: (filename, bytes, "type/subtype") tuples."""
    body_charset = {"iso-2022-jp": "iso-2022-jp", "shift_jis": "shift_jis", "utf-8": "utf-8"}[charset]
    text = MIMEText(body or "よろしくお願いいたします。", "plain", body_charset)
    if attachments:
        message = MIMEMultipart()
        message.attach(text)
        for filename, data, mimetype in attachments:
            part = MIMEBase(*mimetype.split("/", 1))
            part.set_payload(data)
            encoders.encode_base64(part)
            name = encoded_words(filename, charset).decode() if not filename.isascii() else filename
            part.add_header("Content-Disposition", "attachment", filename=name)
            part.set_param("name", name)
            message.attach(part)
    else:
        message = text
    message["From"] = f"{encoded_words(sender_name, charset).decode()} <{sender}>"
    message["To"] = to
    message["Date"] = format_datetime(date or timezone.localtime())
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.jp")
    message["Subject"] = "PLACEHOLDER-SUBJECT"
    raw = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    header = subject_header(subject, charset, style)
    if header is None:
        return raw.replace(b"Subject: PLACEHOLDER-SUBJECT\r\n", b"")
    return raw.replace(b"PLACEHOLDER-SUBJECT", header)


def png_bytes(size=(64, 48)):
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def heic_bytes(size=(64, 48)):
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", size, (90, 200, 30)).save(out, format="HEIF")
    return out.getvalue()


def subject_for(case, kind="start", fmt="{company}/{expert}/{month}月{day}日 {time}"):
    """The subject a member would type for the case's start or end (or photo range)."""
    start, end = timezone.localtime(case.starts_at), timezone.localtime(case.ends_at)
    moment = start if kind == "start" else end
    return fmt.format(
        company=case.company.name, expert=case.expert.display_name, month=moment.month, day=moment.day,
        time=f"{moment:%H:%M}", start=f"{start:%H:%M}", end=f"{end:%H:%M}",
    )


# ---- fixtures (imported by the inbound test modules) ---------------------------------------

import pytest  # noqa: E402

from companies.models import Company  # noqa: E402
from directory.models import ExpertProfile  # noqa: E402
from tests.dispatch.builders import World  # noqa: E402


@pytest.fixture
def inbound_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pasona(db, inbound_media):
    """The seed's example: 株式会社パソナ建設 and 専門家 次郎, with an SME member, a coordinator, the secretariat."""
    world = World()
    Company.objects.filter(pk=world.company.pk).update(name="株式会社パソナ建設", name_kana="ぱそなけんせつ")
    ExpertProfile.objects.filter(pk=world.expert.pk).update(display_name="専門家 次郎", display_name_kana="せんもんか じろう")
    world.company.refresh_from_db()
    world.expert.refresh_from_db()
    return world
