"""The intake clock in one place (move into the programme-year settings model once it exists)."""

from core.dates import business_deadline

# The organisation answers within this many business days (SPEC §4.2).
ANSWER_BUSINESS_DAYS = 2
# Unanswered this many business days after submission: the regional bureau is told as well.
BUREAU_BUSINESS_DAYS = 4
# Unanswered this many business days after submission: the request expires and the SME may ask elsewhere.
EXPIRY_BUSINESS_DAYS = 10
# Responsiveness shown in the directory is measured over this window.
STATS_WINDOW_DAYS = 90


def answer_deadline(moment, business_days):
    """End of the n-th business day after the day of submission (「2営業日以内」, counted from the next business day).

    Submitted Friday 2026-11-20 (Monday 11-23 is 勤労感謝の日) → due Wednesday 11-25 at the end of the day.
    """
    return business_deadline(moment, business_days)
