"""The intake clock in one place (move into the programme-year settings model once it exists)."""

# The organisation answers within this many business days (SPEC §4.2).
ANSWER_BUSINESS_DAYS = 2
# Unanswered this many business days after submission: the regional bureau is told as well.
BUREAU_BUSINESS_DAYS = 4
# Unanswered this many business days after submission: the request expires and the SME may ask elsewhere.
EXPIRY_BUSINESS_DAYS = 10
# Responsiveness shown in the directory is measured over this window.
STATS_WINDOW_DAYS = 90
