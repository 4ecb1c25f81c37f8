"""Near-identical report texts without comparing every pair of reports.

Each text is cut into character shingles (Japanese has no spaces, so characters, not words) and
summarised by a MinHash signature split into bands. Two texts that share a band hash are candidates;
only candidates are compared exactly (difflib). With BANDS bands of ROWS rows, texts whose shingle
sets have Jaccard similarity 0.7 meet in some band with probability 1 − (1 − 0.7²)¹⁰ ≈ 99.9 %.
"""

import difflib
import hashlib
import re
import unicodedata

SHINGLE = 4
BANDS = 10
ROWS = 2
_PRIME = (1 << 61) - 1
# Fixed pseudo-random coefficients (a, b) of the hash family, one per signature row.
_COEFFS = [
    (int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest(), "big") % (_PRIME - 1) + 1,
     int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest(), "big") % _PRIME)
    for i in range(BANDS * ROWS)
]


def normalise(text):
    """Width, case and spacing do not make a text different."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"[\s、。，．,.・]+", "", text)


def shingles(text):
    return shingles_of_normalised(normalise(text))


def shingles_of_normalised(text):
    if len(text) <= SHINGLE:
        return {text} if text else set()
    return {text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def _hash64(value):
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "big")


def band_hashes(text):
    """BANDS signed 63-bit integers (fits a BigIntegerField); empty for an empty text."""
    hashed = [_hash64(s) for s in shingles(text)]
    if not hashed:
        return []
    signature = [min((a * h + b) % _PRIME for h in hashed) for a, b in _COEFFS]
    bands = []
    for band in range(BANDS):
        rows = signature[band * ROWS:(band + 1) * ROWS]
        digest = hashlib.blake2b(f"{band}:{rows}".encode(), digest_size=8).digest()
        bands.append(int.from_bytes(digest, "big") >> 1)
    return bands


def ratio(a, b):
    """difflib's similarity of the normalised texts, 0.0–1.0."""
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def normalised_ratio(a, b, threshold):
    """difflib's ratio of two normalised texts when it reaches the threshold, else None (cheap bounds first)."""
    if not a or not b:
        return None
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= threshold else None
