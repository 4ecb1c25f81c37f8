"""The intake clock in one place (move into the programme-year settings model once it exists)."""

import datetime

from django.utils import timezone

from core.dates import add_business_days

# The organisation answers within this many business days (SPEC §4.2).
ANSWER_BUSINESS_DAYS = 2
# Unanswered this many business days after submission: the regional bureau is told as well.
BUREAU_BUSINESS_DAYS = 4
# Unanswered this many business days after submission: the request expires and the SME may ask elsewhere.
EXPIRY_BUSINESS_DAYS = 10
# Responsiveness shown in the directory is measured over this window.
STATS_WINDOW_DAYS = 90


def answer_deadline(moment, business_days):
    """End of the n-th business day, the day of submission counting as the first when it is a business day.

    「2営業日以内」 as offices count it: submitted Friday 2026-11-20 (Monday 11-23 is 勤労感謝の日) → due
    Tuesday 11-24 at the end of the day; submitted on a Saturday → the first business day after is day one.
    """
    local = timezone.localtime(moment)
    first = add_business_days(local.date(), 0)
    day = add_business_days(first, business_days - 1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))
