"""Honorarium (謝金), travel (旅費) and withholding income tax (源泉徴収税額): plain integer arithmetic.

Withholding follows 所得税法204条1項 as the NTA applies it to 報酬・料金 (タックスアンサー No.2792,
No.2795): 10.21 % of the amount paid at one time up to ¥1,000,000, plus 20.42 % of the excess,
fractions of a yen truncated. Travel paid in money to an individual together with the fee is part of
the fee (所得税基本通達204-2); only travel the payer settles directly with the carrier or hotel is
excluded (同204-4). The secretariat transfers travel to the expert's account with the honorarium, so
withholding applies to honorarium plus travel, on the total paid to one expert at one time (one
transfer of a batch). Corporations (法人) are not withheld (所得税法204条1項 covers 居住者 only).
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

WITHHOLDING_THRESHOLD = 1_000_000
# Rates in basis points of a percent (10.21 % = 1021 / 10000): integers, never floats.
RATE_LOW = 1021
RATE_HIGH = 2042


def withholding(amount, is_corporation=False):
    """源泉徴収税額 for one payment of `amount` yen (int) to one payee."""
    amount = int(amount)
    if is_corporation or amount <= 0:
        return 0
    if amount <= WITHHOLDING_THRESHOLD:
        return amount * RATE_LOW // 10000
    return WITHHOLDING_THRESHOLD * RATE_LOW // 10000 + (amount - WITHHOLDING_THRESHOLD) * RATE_HIGH // 10000


def honorarium(programme, hours=None):
    """謝金 for one visit: per hour (capped at the year's maximum hours) when the year pays by the hour,
    else per visit. `hours` is a Decimal from the support report."""
    if programme.honorarium_per_hour > 0:
        worked = min(Decimal(hours or 0), Decimal(programme.honorarium_max_hours))
        amount = (Decimal(programme.honorarium_per_hour) * max(worked, Decimal(0))).quantize(Decimal(1), rounding=ROUND_DOWN)
        return int(amount)
    return int(programme.honorarium_per_visit)


def travel_allowed(programme, claimed):
    """旅費 paid for one visit under the year's rule: actual (the claim, capped), flat, or none."""
    claimed = max(int(claimed or 0), 0)
    rule = programme.travel_rule
    if rule == "flat":
        return int(programme.travel_flat_amount)
    if rule == "none":
        return 0
    if programme.travel_cap > 0:
        return min(claimed, int(programme.travel_cap))
    return claimed


@dataclass(frozen=True)
class CaseAmounts:
    honorarium: int
    travel_claimed: int
    travel_allowed: int

    @property
    def gross(self):
        return self.honorarium + self.travel_allowed


def case_amounts(programme, hours, travel_claimed):
    return CaseAmounts(honorarium(programme, hours), max(int(travel_claimed or 0), 0),
                       travel_allowed(programme, travel_claimed))


@dataclass(frozen=True)
class PaymentAmounts:
    """One payment to one payee: several cases transferred together count as one payment."""

    gross: int
    withholding: int

    @property
    def net(self):
        return self.gross - self.withholding


def payment_amounts(case_amounts_list, is_corporation):
    gross = sum(a.gross for a in case_amounts_list)
    return PaymentAmounts(gross, withholding(gross, is_corporation))
