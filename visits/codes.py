"""The expert's short check-in code: 6 digits derived from the server secret, the case, the kind
(start/end) and a 5-minute time step, like a TOTP. Nothing to store or leak; a code is good for
the current and the previous step only, and a report of each kind can be made once, so a code
proves once that the SME saw the expert's screen."""

import hashlib
import hmac
import time

from django.conf import settings

STEP_SECONDS = 300
DIGITS = 6
# Wrong codes allowed per case before check-in pauses (a 6-digit code is not guessable at this rate).
MAX_WRONG = 5
WRONG_WINDOW_MINUTES = 15


def _step(at=None):
    return int((at if at is not None else time.time()) // STEP_SECONDS)


def code_for(case_id, kind, step):
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, f"visits-checkin:{case_id}:{kind}:{step}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") % (10**DIGITS)
    return f"{number:0{DIGITS}d}"


def current_code(case_id, kind, now=None):
    """The code to show now, and the epoch second until which it is shown."""
    step = _step(now)
    return code_for(case_id, kind, step), (step + 1) * STEP_SECONDS


def is_valid(case_id, kind, entered, now=None):
    entered = normalise(entered)
    if len(entered) != DIGITS or not entered.isdigit():
        return False
    step = _step(now)
    return any(hmac.compare_digest(code_for(case_id, kind, s), entered) for s in (step, step - 1))


def normalise(entered):
    """Full-width digits and spaces typed on a Japanese phone keyboard are fine."""
    table = str.maketrans("０１２３４５６７８９", "0123456789")
    return "".join((entered or "").translate(table).split()).replace("-", "")
