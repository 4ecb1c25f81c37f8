"""中小企業基本法 第2条: is a company an SME, and a 小規模事業者?"""

from dataclasses import dataclass

from reference.data import SMALL_BUSINESS_20

# sector: (capital limit in yen, employee limit)
SME_LIMITS = {
    "M": (300_000_000, 300),
    "W": (100_000_000, 100),
    "R": (50_000_000, 50),
    "S": (50_000_000, 100),
}
SMALL_LIMITS = {"M": 20, "W": 5, "R": 5, "S": 5}


@dataclass(frozen=True)
class SmeStatus:
    sector: str
    is_sme: bool
    is_small: bool


def sme_status(industry, capital, employees):
    """Either limit (capital or employees) qualifies a company as an SME.

    Sole proprietors have no capital: the employee count decides.
    """
    sector = industry.sme_sector or "M"
    capital_limit, employee_limit = SME_LIMITS[sector]
    by_capital = capital is not None and capital <= capital_limit
    by_employees = employees is not None and employees <= employee_limit
    small_limit = 20 if industry.code in SMALL_BUSINESS_20 else SMALL_LIMITS[sector]
    is_sme = by_capital or by_employees
    is_small = is_sme and employees is not None and employees <= small_limit
    return SmeStatus(sector=sector, is_sme=is_sme, is_small=is_small)
