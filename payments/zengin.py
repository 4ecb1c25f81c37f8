"""The 全銀協 総合振込 file (種別コード 21): fixed 120-byte records in CP932 with CRLF line ends.

Records: one header (データ区分 1), one data record per transfer (2), a trailer with the count and
total (8) and an end record (9). Character fields ("C") hold half-width katakana, upper-case
letters, digits and a few symbols, left-aligned and padded with spaces; numeric fields ("N") are
right-aligned and padded with zeros. `build` writes a file, `parse` reads one back and checks it.
"""

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass

import jaconv
from django.utils.translation import gettext as _

RECORD_LENGTH = 120
EOL = b"\r\n"
ENCODING = "cp932"
NAME_WIDTH = 30  # 受取人名 of a data record: longer names are cut, as usual (banks match the account number)

# The 全銀 character set: half-width katakana without the small letters, ﾞ ﾟ, upper-case letters,
# digits, space and the symbols banks accept.
_HALF_KANA = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝﾞﾟ"
ALLOWED = frozenset(_HALF_KANA + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ ()-./,\\｢｣")
# Banks take small kana as large ones (ｯ→ﾂ), obsolete ヰヱ as イエ, and the long vowel mark as "-".
_FOLD = str.maketrans({
    "ァ": "ア", "ィ": "イ", "ゥ": "ウ", "ェ": "エ", "ォ": "オ", "ッ": "ツ", "ャ": "ヤ", "ュ": "ユ", "ョ": "ヨ",
    "ヮ": "ワ", "ヵ": "カ", "ヶ": "ケ", "ヰ": "イ", "ヱ": "エ", "ー": "-", "‐": "-", "−": "-", "―": "-",
    "—": "-", "・": ".", "「": "｢", "」": "｣", "¥": "\\",
})


class UnconvertibleName(ValueError):
    """A name that cannot be written in the 全銀 character set; `reason` is a Japanese sentence.
    `transfer` is the Transfer whose record failed (None for the header: the remitter)."""

    transfer = None

    def __init__(self, text, bad):
        self.text = text
        self.bad = bad
        self.reason = _(
            "「%(name)s」に全銀ファイルで使えない文字（%(chars)s）があります。"
            "カタカナ・英大文字・数字と記号（）．－／だけの名義に直してください。"
        ) % {"name": text, "chars": "、".join(bad)}
        super().__init__(self.reason)


def to_zengin(text):
    """Half-width kana as the transfer file needs it, from stored full-width katakana (or hiragana,
    half-width kana, lower-case letters). Raises UnconvertibleName with the offending characters."""
    folded = unicodedata.normalize("NFKC", text or "")  # half-width kana → full-width first, ＡＢＣ → ABC
    folded = jaconv.hira2kata(folded).upper().translate(_FOLD)
    folded = jaconv.z2h(folded, kana=True, ascii=False, digit=False)
    folded = re.sub(" +", " ", folded).strip()
    bad = sorted({c for c in folded if c not in ALLOWED}, key=folded.index)
    if bad or not folded:
        raise UnconvertibleName(text or "", bad or ["（空欄）"])
    return folded


def written_name(text):
    """(the whole name converted, the name as the data record holds it: its first NAME_WIDTH characters)."""
    converted = to_zengin(text)
    return converted, converted[:NAME_WIDTH]


def _text(value, width):
    """Left-aligned character field, truncated to the width (every allowed character is one byte)."""
    value = value[:width]
    bad = [c for c in value if c not in ALLOWED]
    if bad:
        raise UnconvertibleName(value, bad)
    return value.ljust(width)


def _number(value, width):
    value = str(value)
    if not value.isdigit() or len(value) > width:
        raise ValueError(f"numeric field does not fit N({width}): {value!r}")
    return value.rjust(width, "0")


@dataclass(frozen=True)
class Remitter:
    """振込依頼人: the secretariat's account, from settings.ZENGIN_REMITTER."""

    code: str  # 依頼人コード (委託者コード) given by the bank, 10 digits
    name: str  # 依頼人名, kana
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str  # 1 普通, 2 当座, 9 その他
    account_number: str


@dataclass(frozen=True)
class Transfer:
    """One data record: to whom, where, how much."""

    bank_code: str
    bank_name: str  # kana (converted here)
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str
    name: str  # 受取人名, kana
    amount: int
    new_code: str = "0"  # 新規コード: 1 first transfer to this account, 2 account changed, 0 other
    customer_code1: str = ""
    customer_code2: str = ""


def header(remitter, transfer_date):
    record = "".join([
        "1", "21", "0",
        _number(remitter.code, 10),
        _text(to_zengin(remitter.name), 40),
        f"{transfer_date:%m%d}",
        _number(remitter.bank_code, 4),
        _text(to_zengin(remitter.bank_name), 15),
        _number(remitter.branch_code, 3),
        _text(to_zengin(remitter.branch_name), 15),
        _number(remitter.account_type, 1),
        _number(remitter.account_number, 7),
        " " * 17,
    ])
    return _encode(record)


def data_record(t):
    record = "".join([
        "2",
        _number(t.bank_code, 4),
        _text(to_zengin(t.bank_name), 15),
        _number(t.branch_code, 3),
        _text(to_zengin(t.branch_name), 15),
        "0000",  # 手形交換所番号: unused
        _number(t.account_type, 1),
        _number(t.account_number, 7),
        _text(to_zengin(t.name), NAME_WIDTH),
        _number(t.amount, 10),
        _number(t.new_code, 1),
        _number(t.customer_code1 or 0, 10),
        _number(t.customer_code2 or 0, 10),
        "7",  # 振込指定区分: 電信扱
        " ",  # 識別表示: not EDI
        " " * 7,
    ])
    return _encode(record)


def trailer(count, total):
    return _encode("8" + _number(count, 6) + _number(total, 12) + " " * 101)


def end():
    return _encode("9" + " " * 119)


def _encode(record):
    data = record.encode(ENCODING)
    if len(data) != RECORD_LENGTH:  # a programming error, never user input
        raise AssertionError(f"record of {len(data)} bytes: {record!r}")
    return data + EOL


def build(remitter, transfer_date, transfers):
    """The whole file as bytes."""
    parts = [header(remitter, transfer_date)]
    total = 0
    for t in transfers:
        try:
            parts.append(data_record(t))
        except UnconvertibleName as exc:
            exc.transfer = t  # so the caller can name the payee
            raise
        total += t.amount
    parts += [trailer(len(transfers), total), end()]
    return b"".join(parts)


# ---- reading a file back ---------------------------------------------------------------------

HEADER_FIELDS = [
    ("kind", 1), ("type_code", 2), ("code_class", 1), ("remitter_code", 10), ("remitter_name", 40),
    ("transfer_date", 4), ("bank_code", 4), ("bank_name", 15), ("branch_code", 3), ("branch_name", 15),
    ("account_type", 1), ("account_number", 7), ("dummy", 17),
]
DATA_FIELDS = [
    ("kind", 1), ("bank_code", 4), ("bank_name", 15), ("branch_code", 3), ("branch_name", 15),
    ("clearing_house", 4), ("account_type", 1), ("account_number", 7), ("name", 30), ("amount", 10),
    ("new_code", 1), ("customer_code1", 10), ("customer_code2", 10), ("transfer_class", 1),
    ("edi_flag", 1), ("dummy", 7),
]
TRAILER_FIELDS = [("kind", 1), ("count", 6), ("total", 12), ("dummy", 101)]
END_FIELDS = [("kind", 1), ("dummy", 119)]
_LAYOUT = {"1": HEADER_FIELDS, "2": DATA_FIELDS, "8": TRAILER_FIELDS, "9": END_FIELDS}


class InvalidFile(ValueError):
    pass


@dataclass
class ParsedFile:
    header: dict
    records: list
    trailer: dict


def _split(line, layout):
    text = line.decode(ENCODING)
    fields, pos = {}, 0
    for name, width in layout:
        fields[name] = text[pos:pos + width]
        pos += width
    return fields


def parse(data):
    """Read a 総合振込 file; raises InvalidFile when a length, order, count or total is wrong."""
    if not data.endswith(EOL):
        raise InvalidFile("the file does not end with CRLF")
    lines = data[:-len(EOL)].split(EOL)
    for number, line in enumerate(lines, 1):
        if len(line) != RECORD_LENGTH:
            raise InvalidFile(f"record {number} is {len(line)} bytes, not {RECORD_LENGTH}")
        bad = {c for c in line.decode(ENCODING) if c not in ALLOWED}
        if bad:
            raise InvalidFile(f"record {number} has characters outside the 全銀 set: {''.join(sorted(bad))}")
    kinds = "".join(chr(line[0]) for line in lines)
    if not re.fullmatch("12*89", kinds):
        raise InvalidFile(f"records are not header, data…, trailer, end: {kinds}")
    parsed = [_split(line, _LAYOUT[chr(line[0])]) for line in lines]
    records = parsed[1:-2]
    tail = parsed[-2]
    if int(tail["count"]) != len(records):
        raise InvalidFile(f"trailer count {int(tail['count'])} != {len(records)} data records")
    total = sum(int(r["amount"]) for r in records)
    if int(tail["total"]) != total:
        raise InvalidFile(f"trailer total {int(tail['total'])} != {total}")
    return ParsedFile(parsed[0], records, tail)


def write_atomically(path, data):
    """Write the whole file or nothing: a temporary file beside the target, then os.replace."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".zengin-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
