"""中小企業基本法 第2条: SME and 小規模事業者 status from industry, capital and employees."""

import pytest

from companies.sme import sme_status
from reference.models import Industry

pytestmark = pytest.mark.django_db

OKU = 100_000_000  # 1億円


def industry(code):
    return Industry.objects.get(code=code)


@pytest.mark.parametrize(
    "code, capital, employees, is_sme",
    [
        # manufacturing and others (E 製造業): 3億円 or 300人
        ("E", 3 * OKU, 1000, True),
        ("E", 3 * OKU + 1, 300, True),
        ("E", 3 * OKU + 1, 301, False),
        # wholesale (52 飲食料品卸売業): 1億円 or 100人
        ("52", 1 * OKU, 500, True),
        ("52", 1 * OKU + 1, 100, True),
        ("52", 1 * OKU + 1, 101, False),
        # retail (58 飲食料品小売業): 5千万円 or 50人
        ("58", 5 * OKU // 10, 500, True),
        ("58", 5 * OKU // 10 + 1, 50, True),
        ("58", 5 * OKU // 10 + 1, 51, False),
        # services (39 情報サービス業): 5千万円 or 100人
        ("39", 5 * OKU // 10, 500, True),
        ("39", 5 * OKU // 10 + 1, 100, True),
        ("39", 5 * OKU // 10 + 1, 101, False),
    ],
)
def test_sme_limits_are_inclusive_and_either_limit_suffices(code, capital, employees, is_sme):
    assert sme_status(industry(code), capital, employees).is_sme is is_sme


@pytest.mark.parametrize(
    "code, employees, is_small",
    [
        ("E", 20, True),   # manufacturing: 20 people
        ("E", 21, False),
        ("D", 20, True),   # construction counts as manufacturing and others
        ("52", 5, True),   # commerce: 5 people
        ("52", 6, False),
        ("58", 5, True),
        ("58", 6, False),
        ("39", 5, True),   # services: 5 people
        ("39", 6, False),
        ("76", 6, False),  # 飲食店 is an ordinary service
        ("75", 20, True),  # 宿泊業: 20 people
        ("75", 21, False),
        ("80", 20, True),  # 娯楽業: 20 people
        ("80", 21, False),
    ],
)
def test_small_business_limits_per_sector(code, employees, is_small):
    status = sme_status(industry(code), 10_000_000, employees)
    assert status.is_sme
    assert status.is_small is is_small


@pytest.mark.parametrize(
    "code, employees, is_sme, is_small",
    [
        ("E", 300, True, False),
        ("E", 301, False, False),
        ("58", 50, True, False),
        ("58", 51, False, False),
        ("75", 20, True, True),
        ("39", 3, True, True),
    ],
)
def test_sole_proprietor_without_capital_is_judged_by_employees(code, employees, is_sme, is_small):
    status = sme_status(industry(code), None, employees)
    assert (status.is_sme, status.is_small) == (is_sme, is_small)


def test_large_company_is_not_a_small_business_even_with_few_employees():
    # 10 employees is within the SME employee limit, so it stays an SME, and small by headcount.
    status = sme_status(industry("E"), 10 * OKU, 10)
    assert status.is_sme and status.is_small


def test_sector_of_middle_division_comes_from_its_own_classification():
    assert sme_status(industry("52"), None, 1).sector == "W"
    assert sme_status(industry("58"), None, 1).sector == "R"
    assert sme_status(industry("75"), None, 1).sector == "S"
    assert sme_status(industry("E"), None, 1).sector == "M"
