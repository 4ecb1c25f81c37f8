"""Bank and branch codes (全銀コード) from the `zengin-code` package's data files.

Read per bank on demand: loading every branch of every bank up front costs
tens of MB and seconds at start-up.
"""

import json
import os
from functools import lru_cache

import zengin_code

_DATA = os.path.join(os.path.dirname(zengin_code.__file__), "source-data", "data")


@lru_cache(maxsize=1)
def banks():
    with open(os.path.join(_DATA, "banks.json"), encoding="utf-8") as fp:
        return json.load(fp)


@lru_cache(maxsize=256)
def branches(bank_code):
    path = os.path.join(_DATA, "branches", f"{bank_code}.json")
    if not bank_code.isdigit() or not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as fp:
        return json.load(fp)


def lookup_bank(code):
    return banks().get(code)


def lookup_branch(bank_code, branch_code):
    return branches(bank_code).get(branch_code)
