"""Reading real Japanese mail: headers, body and attachments, whatever the client sent.

Japanese mail clients send ISO-2022-JP (often with Microsoft's extensions such as ㈱
and ①, which Python's strict codec refuses), Shift_JIS that is really CP932, UTF-8,
RFC 2047 encoded-words split in the middle of a character, and sometimes raw 8-bit
headers. Everything here is pure (no database): bytes in, plain values out.
"""

import base64
import binascii
import dataclasses
import email
import email.policy
import email.utils
import quopri
import re

SJIS_LABELS = {"shift_jis", "shift-jis", "sjis", "x-sjis", "s-jis", "ms_kanji", "windows-31j", "cp932", "csshiftjis"}
JIS_LABELS = {"iso-2022-jp", "iso2022jp", "csiso2022jp", "iso-2022-jp-ms", "iso-2022-jp-1", "iso-2022-jp-2", "jis"}
EUC_LABELS = {"euc-jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese"}

ENCODED_WORD = re.compile(rb"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")


# ---- charsets ------------------------------------------------------------------------------

def _jis_to_cp932(data):
    """ISO-2022-JP (with CP50221 extensions) → CP932 bytes, by the JIS→Shift_JIS arithmetic.

    Outlook and Japanese phones put NEC special characters (㈱ ① ㍻) and IBM extensions
    in ISO-2022-JP; the arithmetic maps them where CP932 decodes them."""
    out = bytearray()
    mode = "ascii"
    i = 0
    while i < len(data):
        if data[i] == 0x1B:
            seq = data[i:i + 3]
            if seq in (b"\x1b$B", b"\x1b$@"):
                mode, i = "jis", i + 3
                continue
            if seq in (b"\x1b(B", b"\x1b(J"):
                mode, i = "ascii", i + 3
                continue
            if seq == b"\x1b(I":
                mode, i = "kana", i + 3
                continue
        byte = data[i]
        if mode == "jis" and 0x21 <= byte <= 0x7E and i + 1 < len(data):
            j1, j2 = byte, data[i + 1]
            s1 = ((j1 + 1) >> 1) + 0x70
            if s1 > 0x9F:
                s1 += 0x40
            if j1 & 1:
                s2 = j2 + 0x1F + (1 if j2 >= 0x60 else 0)
            else:
                s2 = j2 + 0x7E
            out += bytes((s1, s2))
            i += 2
        elif mode == "kana" and 0x21 <= byte <= 0x5F:
            out.append(byte + 0x80)
            i += 1
        else:
            out.append(byte)
            i += 1
    return bytes(out)


def decode_bytes(data, charset=None):
    """Text from bytes labelled `charset` (or unlabelled): never raises, prefers the strict reading."""
    label = (charset or "").strip().strip('"').lower()
    if label in JIS_LABELS or (not label and b"\x1b$" in data):
        try:
            return data.decode("iso2022_jp")
        except UnicodeDecodeError:
            return _jis_to_cp932(data).decode("cp932", errors="replace")
    if label in SJIS_LABELS:
        return data.decode("cp932", errors="replace")
    if label in EUC_LABELS:
        for codec in ("euc_jp", "euc_jis_2004"):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
        return data.decode("euc_jp", errors="replace")
    if label and label not in {"us-ascii", "ascii", "unknown-8bit", "x-unknown"}:
        try:
            return data.decode(label)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: guess from the bytes below
    return guess_decode(data)


def guess_decode(data):
    """Unlabelled bytes: UTF-8, then the Japanese legacy encodings, strictly, in that order."""
    if b"\x1b$" in data:
        return decode_bytes(data, "iso-2022-jp")
    for codec in ("utf-8", "cp932", "euc_jp"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    return data.decode("utf-8", errors="replace")


def _word_bytes(encoding, text):
    if encoding in (b"b", b"B"):
        text = re.sub(rb"[^A-Za-z0-9+/]", b"", text)
        text += b"=" * (-len(text) % 4)
        try:
            return base64.b64decode(text)
        except binascii.Error:
            return b""
    return quopri.decodestring(text.replace(b"_", b" "), header=True)


def decode_header(raw):
    """A header value (bytes, unfolded) to text: encoded-words in any charset, raw 8-bit, raw JIS.

    Adjacent encoded-words in one charset are joined before decoding: clients split a
    multibyte character across two words."""
    if isinstance(raw, str):
        raw = raw.encode("ascii", errors="surrogateescape")
    pieces = []  # (charset or None, bytes)
    pos = 0
    for match in ENCODED_WORD.finditer(raw):
        between = raw[pos:match.start()]
        if between.strip() or not pieces or pieces[-1][0] is None:
            if between:
                pieces.append((None, between))
        charset = match.group(1).split(b"*")[0].decode("ascii", "replace").lower()  # RFC 2231 language tag
        data = _word_bytes(match.group(2), match.group(3))
        if pieces and pieces[-1][0] == charset:
            pieces[-1] = (charset, pieces[-1][1] + data)
        else:
            pieces.append((charset, data))
        pos = match.end()
    if raw[pos:]:
        pieces.append((None, raw[pos:]))
    return "".join(decode_bytes(data, charset) for charset, data in pieces)


# ---- the message ---------------------------------------------------------------------------

def raw_headers(raw):
    """[(lower-case name, unfolded value bytes)] of the header section, in order, as sent."""
    end = len(raw)
    for sep in (b"\r\n\r\n", b"\n\n"):
        index = raw.find(sep)
        if index != -1:
            end = min(end, index)
    headers = []
    for line in re.split(rb"\r?\n", raw[:end]):
        if line[:1] in (b" ", b"\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, value + b" " + line.strip())
        elif b":" in line:
            name, value = line.split(b":", 1)
            headers.append((name.strip().lower().decode("ascii", "replace"), value.strip()))
    return headers


def header(headers, name):
    for key, value in headers:
        if key == name:
            return value
    return None


@dataclasses.dataclass
class Attachment:
    index: int
    filename: str
    content_type: str
    data: bytes = dataclasses.field(repr=False)
    sniffed: str = ""  # jpeg, png, heic, pdf or ""

    @property
    def size(self):
        return len(self.data)

    @property
    def extension(self):
        return self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""

    @property
    def declared(self):
        """What the sender says it is (name or MIME type): image, pdf or other."""
        if self.extension in IMAGE_EXTENSIONS or self.content_type.startswith("image/"):
            return "image"
        if self.extension == "pdf" or self.content_type == "application/pdf":
            return "pdf"
        return "other"

    @property
    def is_image(self):
        return self.sniffed in {"jpeg", "png", "heic"}

    @property
    def is_pdf(self):
        return self.sniffed == "pdf"


IMAGE_EXTENSIONS = {"jpg", "jpeg", "jpe", "png", "heic", "heif"}
HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def sniff(data):
    """The file type from its first bytes, never from its name."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        return "heic"
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    return ""


@dataclasses.dataclass
class ParsedMail:
    subject: str
    from_name: str
    from_address: str
    message_id: str
    date: object  # aware datetime or None
    body_text: str
    attachments: list
    headers: list = dataclasses.field(repr=False, default_factory=list)


def _param(part, name, header_name):
    value = part.get_param(name, header=header_name)
    if value is None:
        return None
    if isinstance(value, tuple):  # RFC 2231: (charset, language, text)
        charset, _, text = value
        data = text.encode("latin-1", errors="surrogateescape") if isinstance(text, str) else text
        from urllib.parse import unquote_to_bytes

        return decode_bytes(unquote_to_bytes(data), charset)
    return decode_header(email.utils.unquote(value))


def _filename(part, index):
    name = _param(part, "filename", "content-disposition") or _param(part, "name", "content-type")
    if not name:
        return f"attachment-{index}"
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip() or f"attachment-{index}"


def _body_and_attachments(message):
    texts, html, attachments = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        payload = part.get_payload(decode=True) or b""
        is_text = content_type in ("text/plain", "text/html") and disposition != "attachment"
        if is_text and not (part.get_param("filename", header="content-disposition") or part.get_param("name")):
            text = decode_bytes(payload, part.get_content_charset())
            (texts if content_type == "text/plain" else html).append(text)
            continue
        index = len(attachments)
        attachments.append(Attachment(index, _filename(part, index), content_type, payload, sniff(payload)))
    body = "\n".join(texts)
    if not body and html:
        body = re.sub(r"<[^>]+>", "", "\n".join(html))
    return body, attachments


def parse_message(raw):
    """The parts of an RFC 5322 message that matter here, decoded."""
    headers = raw_headers(raw)
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    subject_raw = header(headers, "subject")
    subject = " ".join(decode_header(subject_raw).split()) if subject_raw is not None else ""
    from_name, from_address = email.utils.parseaddr(decode_header(header(headers, "from") or b""))
    message_id = (header(headers, "message-id") or b"").decode("ascii", "replace").strip()[:250]
    try:
        date = email.utils.parsedate_to_datetime(decode_header(header(headers, "date") or b""))
        if date is not None and date.tzinfo is None:
            date = None
    except (TypeError, ValueError, IndexError):
        date = None
    body, attachments = _body_and_attachments(message)
    return ParsedMail(
        subject=subject,
        from_name=from_name.strip(),
        from_address=from_address.strip().lower(),
        message_id=message_id,
        date=date,
        body_text=body,
        attachments=attachments,
        headers=headers,
    )
