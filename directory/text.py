"""Japanese text normalisation for the expert search and recommendation.

One function turns text into index tokens (what a profile is stored as) and one turns a
query into terms. Both go through the same steps so that 表記ゆれ meet in the middle:

* NFKC: ＨＰ → HP, ｳｪﾌﾞ → ウェブ; then lower case (Web → web);
* SudachiPy mode C with normalized_form: Web → ウェブ, 見積 → 見積もり, サーバ → サーバー;
* synonyms to one canonical word (HP / ウェブサイト → ホームページ), okurigana Sudachi misses (繰 → 繰り);
* hiragana-only words also tried in katakana (うぇぶ → ウェブ);
* documents additionally index the mode A parts of compounds (ネットショップ → ネット, ショップ),
  so a word inside a longer compound is found, while a query keeps its words whole.

Tokens keep only letters and digits, so SQLite's unicode61 tokenizer and PostgreSQL's 'simple'
parser see exactly one word per token and query operators typed by users are plain text.
"""

import functools
import re
import unicodedata

import jaconv
from sudachipy import dictionary, tokenizer

MODE_A = tokenizer.Tokenizer.SplitMode.A
MODE_C = tokenizer.Tokenizer.SplitMode.C

# Canonical word first; every other spelling (already NFKC + lower case + Sudachi-normalised) maps to it.
SYNONYM_GROUPS = [
    ["ホームページ", "hp", "ウェブサイト", "webサイト", "サイト制作", "homepage", "website"],
    ["ウェブ", "web", "www"],
    ["ec", "ネットショップ", "通販", "eコマース", "オンラインショップ", "ネット通販", "ecサイト"],
    ["sns", "ソーシャルメディア"],
    ["instagram", "インスタ"],
    ["dx", "デジタルトランスフォーメーション"],
    ["it", "情報技術"],
    ["補助金", "助成金"],
    ["販促", "販売促進"],
    ["創業", "起業", "開業"],
    ["知財", "知的財産"],
    ["bcp", "事業継続計画"],
    ["m&a", "ma", "事業譲渡"],
    ["集客", "客集め"],
    ["資金繰り", "資金繰", "繰り回し"],
    ["繰り", "繰"],
    ["スマートフォン", "スマホ"],
    ["人手不足", "人材不足"],
]
# Multi-word spellings rewritten before tokenising (longest first).
PHRASES = {
    "web サイト": "ウェブサイト",
    "webサイト": "ウェブサイト",
    "ホームページ作成": "ホームページ制作",
    "ネット通販": "通販",
    "ネットショップ": "ネットショップ",
    "ソーシャル・メディア": "ソーシャルメディア",
    "ソーシャルメディア": "ソーシャルメディア",
    "e-コマース": "eコマース",
}

# Parts of speech that carry no meaning for a search.
_SKIP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号", "感動詞", "接続詞"}
# Frequent verbs/adjectives of requests (「相談したい」「教えてほしい」) that would only narrow results.
STOPWORDS = {
    "為る", "有る", "居る", "成る", "出来る", "思う", "欲しい", "致す", "行う", "言う", "下さる", "頂く",
    "ある", "いる", "なる", "こと", "もの", "ため", "よう", "等", "的", "様", "さん", "化",
    # Words of every request and every profile (「～について相談したい」「～を支援します」): they match
    # nearly everyone, so they only cost time and blur the ranking.
    "つく", "付く", "就く", "相談", "支援", "悩む", "困る", "考える", "分かる", "知る", "教える", "希望", "方法", "対応", "今後", "現在",
}
_NON_WORD = re.compile(r"[^\w]|_", re.UNICODE)
_HIRAGANA_WORD = re.compile(r"[\u3041-\u3096ー]{2,}")
# Hiragana runs that look like loanwords written in hiragana (ほーむぺーじ, うぇぶ): indexed in katakana too.
_HIRAGANA_LOANWORD = re.compile(r"[\u3041-\u3096ー]*[ーぁぃぅぇぉゃゅょゎ][\u3041-\u3096ー]*")
_SENTENCE_END = re.compile(r"[。．！？!?\n]+")

SYNONYMS = {}
for _group in SYNONYM_GROUPS:
    for _word in _group:
        SYNONYMS[_NON_WORD.sub("", _word)] = _NON_WORD.sub("", _group[0])


@functools.cache
def _tokenizer():
    return dictionary.Dictionary(dict="core").tokenizer()


def prepare(text):
    """NFKC + lower case + phrase rewrites: the form both sides are tokenised from."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    for phrase, replacement in PHRASES.items():
        text = text.replace(phrase, replacement)
    return text


def _clean(word):
    word = _NON_WORD.sub("", unicodedata.normalize("NFKC", word).lower())
    return SYNONYMS.get(word, word)


def _keep(morpheme):
    pos = morpheme.part_of_speech()[0]
    if pos in _SKIP_POS:
        return False
    form = morpheme.normalized_form()
    if form in STOPWORDS:
        return False
    # A lone hiragana character (particle-like fragments) matches everything and means nothing.
    return not (len(morpheme.surface()) == 1 and "\u3041" <= morpheme.surface() <= "\u3096")


def _words(text, with_parts):
    """Normalised words of one prepared text (mode C; plus mode A parts when with_parts)."""
    words = []
    for morpheme in _tokenizer().tokenize(text, MODE_C):
        if not _keep(morpheme):
            continue
        word = _clean(morpheme.normalized_form())
        if word:
            words.append(word)
        if with_parts:
            for part in morpheme.split(MODE_A):
                if part.part_of_speech()[0] not in _SKIP_POS:
                    part_word = _clean(part.normalized_form())
                    if part_word and part_word != word:
                        words.append(part_word)
    return words


@functools.lru_cache(maxsize=50_000)
def _sentence_tokens(sentence):
    tokens = _words(sentence, with_parts=True)
    for kana in _HIRAGANA_LOANWORD.findall(sentence):
        tokens.extend(_words(jaconv.hira2kata(kana), with_parts=True))
    return tuple(tokens)


def index_tokens(*texts):
    """Tokens to store for a document, in order (repeats kept: they weigh in the ranking)."""
    tokens = []
    for text in texts:
        for sentence in _SENTENCE_END.split(prepare(text)):
            if sentence.strip():
                tokens.extend(_sentence_tokens(sentence.strip()))
    return tokens


def query_terms(text, max_terms=12):
    """A query as terms; each term is a list of alternatives, each alternative a list of tokens (all needed).

    「HP制作」 → [[["ホームページ"]], [["制作"]]]; 「うぇぶ」 → [[["ウェブ"]], ...] via katakana.
    Duplicates are dropped and the number of terms is capped so a pasted essay stays a cheap query.
    """
    terms, seen = [], set()
    for chunk in prepare(text).split():
        if _HIRAGANA_WORD.fullmatch(chunk):
            alternatives = [_words(jaconv.hira2kata(chunk), False), _words(chunk, False)]
            alternatives = [a for a in alternatives if a]
            key = tuple(tuple(a) for a in alternatives)
            if alternatives and key not in seen:
                seen.add(key)
                terms.append(alternatives)
            continue
        for word in _words(chunk, with_parts=False):
            if word not in seen:
                seen.add(word)
                terms.append([[word]])
    return terms[:max_terms]


def query_words(text, max_terms=30):
    """Flat list of distinct query tokens (for recommendation, which ranks by overlap)."""
    words = []
    for term in query_terms(text, max_terms=max_terms):
        for alternative in term:
            for word in alternative:
                if word not in words:
                    words.append(word)
    return words


def name_key(*names):
    """One string to match names against: NFKC, no spaces, kana in katakana (やまだ = ヤマダ)."""
    joined = "".join(unicodedata.normalize("NFKC", n or "") for n in names)
    return jaconv.hira2kata(re.sub(r"\s+", "", joined)).lower()
