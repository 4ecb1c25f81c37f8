"""The legacy report subject `事業者名/専門家名/支援開始時刻` (seed 003), as people really type it.

Full-width digits and ／ ： ＿ (NFKC folds them), spaces around the slashes,
`8/21 10:30`, `8月21日 10:30`, `8月21日(水)10:30～15:00` (the photo mail's 支援日時),
`10時30分`, `午後3時`, a year or none (the year closest to the receipt is taken).
"""

import dataclasses
import datetime
import re
import unicodedata

import jaconv

WEEKDAY = r"(?:\s*[(\[]\s*[月火水木金土日](?:曜日?)?\s*[)\]])?"
DATE = (
    r"(?:(?P<year>\d{4})\s*[年/.\-]\s*)?"
    r"(?:(?P<month>\d{1,2})\s*(?:月|/|\.|-)\s*(?P<day>\d{1,2})\s*日?|(?P<day_only>\d{1,2})\s*日)"
    + WEEKDAY
)
TIME = r"(?P<ampm>午前|午後|am|pm)?\s*(?P<hour>\d{1,2})\s*(?::|時)\s*(?P<minute>\d{1,2}|半)?\s*分?"
TIME_END = r"(?P<ampm2>午前|午後|am|pm)?\s*(?P<hour2>\d{1,2})\s*(?::|時)\s*(?P<minute2>\d{1,2}|半)?\s*分?"
RANGE = r"(?:\s*(?:~|〜|-|‐|−|–|—|ー|から)\s*" + TIME_END + r"(?:\s*まで)?)?"
DATETIME = re.compile(DATE + r"\s*(?:[/_]\s*)?(?:開始|終了|支援)?\s*(?:時刻)?\s*" + TIME + RANGE, re.IGNORECASE)
TIME_ONLY = re.compile(r"(?<!\d)" + TIME + RANGE + r"\s*(?:開始|終了)?\s*$", re.IGNORECASE)
REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|fw|fwd|転送|返信)\s*[:>]\s*)+", re.IGNORECASE)
SEPARATORS = re.compile(r"\s*[/_|]\s*")
START_WORDS = ("開始", "スタート", "start")
END_WORDS = ("終了", "おわり", "end")

# Legal-form markers, after NFKC (㈱ and （株） both become "(株)") and kana folding.
LEGAL_FORMS = [
    "特定非営利活動法人", "一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人", "社会福祉法人",
    "医療法人社団", "医療法人財団", "医療法人", "npo法人", "株式会社", "有限会社", "合同会社", "合資会社",
    "合名会社", "企業組合", "協同組合", "カブシキガイシャ", "カブシキカイシャ", "ユウゲンガイシャ",
    "ゴウドウガイシャ", "(株)", "(有)", "(同)", "(合)", "(資)", "(名)", "(社)", "(財)", "(医)", "(特非)",
    "(カ)", "(ユ)", "co.,ltd.", "co., ltd.", "co.ltd.", "inc.", "corp.", "ltd.", "llc",
]
HONORIFICS = ("先生", "さま", "様", "さん", "氏", "殿")
PUNCTUATION = re.compile(r"[\s・･.,、。'\"()\[\]「」『』【】〔〕<>〈〉-]")


def fold(text):
    """NFKC (full-width → half-width, ㈱ → (株)), katakana for kana, lower case."""
    return jaconv.hira2kata(unicodedata.normalize("NFKC", text or "")).lower()


def company_key(name):
    """A company name without legal form, spaces or punctuation: 株式会社パソナ建設 = ㈱ぱそな建設 = パソナ建設."""
    text = fold(name)
    for form in LEGAL_FORMS:
        text = text.replace(form, "")
    return PUNCTUATION.sub("", text)


def person_key(name):
    """A person's name without spaces or honorifics: 専門家 次郎 先生 = 専門家次郎."""
    text = PUNCTUATION.sub("", fold(name))
    for word in HONORIFICS:
        if text.endswith(fold(word)) and len(text) > len(word):
            text = text[: -len(word)]
    return text


def keys_match(written, registered):
    """The subject's name is the registered one, or a clear part of it (2+ characters)."""
    if not written or not registered:
        return False
    if written == registered:
        return True
    shorter, longer = sorted((written, registered), key=len)
    return len(shorter) >= 2 and shorter in longer


@dataclasses.dataclass
class Subject:
    text: str  # the normalised subject
    head: str = ""  # what precedes the date and time (the names)
    company: str = ""  # company part, when the names were separated
    expert: str = ""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    time: datetime.time | None = None
    end_time: datetime.time | None = None
    kind_hint: str | None = None  # "start"/"end" when the subject says 開始/終了
    mentions_consent: bool = False
    problem: str = ""  # why no date/time could be read (Japanese)

    @property
    def has_time(self):
        return self.time is not None

    @property
    def is_range(self):
        """`10:30～15:00`: the photo mail's 支援日時."""
        return self.end_time is not None

    def day_near(self, received):
        """The calendar date meant: the stated year, else the one closest to the receipt date."""
        if self.day is None:
            return received
        month = self.month or received.month
        if self.year:
            return datetime.date(self.year, month, self.day)
        options = []
        for year in (received.year - 1, received.year, received.year + 1):
            try:
                options.append(datetime.date(year, month, self.day))
            except ValueError:
                pass
        if not options:
            raise ValueError("no such date")
        return min(options, key=lambda d: abs((d - received).days))


def _hour(ampm, hour):
    ampm = (ampm or "").lower()
    if ampm in ("午後", "pm") and hour < 12:
        hour += 12
    if ampm in ("午前", "am") and hour == 12:
        hour = 0
    return hour


def _time(ampm, hour, minute):
    minute = 30 if minute == "半" else int(minute or 0)
    return datetime.time(_hour(ampm, int(hour)), minute)


def parse_subject(raw_subject):
    """Read names, date and times from a subject. Never raises; `problem` says what is missing."""
    text = " ".join(unicodedata.normalize("NFKC", raw_subject or "").split())
    text = REPLY_PREFIX.sub("", text).strip()
    subject = Subject(text=text)
    if not text:
        subject.problem = "件名がありません。"
        return subject
    lowered = text.lower()
    if any(w in lowered for w in END_WORDS):
        subject.kind_hint = "end"
    elif any(w in lowered for w in START_WORDS):
        subject.kind_hint = "start"
    subject.mentions_consent = "同意書" in text
    match = None
    for match in DATETIME.finditer(text):
        pass
    if match is None:
        match = TIME_ONLY.search(text)
    if match is None:
        subject.head = text
        subject.problem = "件名から支援の日付と時刻を読み取れません（例：ぱそな建設/専門家次郎/8月21日 10:30）。"
        _split_names(subject, text)
        return subject
    groups = match.groupdict()
    try:
        if groups.get("day") or groups.get("day_only"):
            subject.year = int(groups["year"]) if groups.get("year") else None
            subject.month = int(groups["month"]) if groups.get("month") else None
            subject.day = int(groups.get("day") or groups["day_only"])
            datetime.date(subject.year or 2024, subject.month or 1, subject.day)  # 2024: 2/29 is valid
        subject.time = _time(groups["ampm"], groups["hour"], groups["minute"])
        if groups.get("hour2"):
            subject.end_time = _time(groups["ampm2"] or groups["ampm"], groups["hour2"], groups["minute2"])
    except ValueError:
        subject.time = subject.end_time = None
        subject.problem = f"件名の日付または時刻「{match.group(0).strip()}」が正しくありません。"
    _split_names(subject, text[: match.start()])
    return subject


def _split_names(subject, head):
    head = head.strip(" /_|:")
    for word in ("支援開始時刻", "支援終了時刻", "支援日時", "開始時刻", "終了時刻", "開始", "終了"):
        head = head.replace(word, " ")
    subject.head = " ".join(head.split()).strip(" /_|")
    parts = [p for p in SEPARATORS.split(subject.head) if p.strip()]
    if len(parts) == 2:
        subject.company, subject.expert = parts[0].strip(), parts[1].strip()
