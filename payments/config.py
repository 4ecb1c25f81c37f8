"""Where payment settings come from: the remitter's account (Django settings) and the yearly
anomaly thresholds (PaymentSettings)."""

from django.conf import settings
from django.db import IntegrityError, transaction

from reference.banks import lookup_bank, lookup_branch

from .models import PaymentSettings
from .zengin import Remitter

# The secretariat's own account for the transfer file. Production sets
# settings.ZENGIN_REMITTER = {"code": "<委託者コード 10 digits>", "name": "<依頼人名 kana>",
#   "bank_code": "0001", "branch_code": "001", "account_type": "1", "account_number": "1234567"}
# (bank_name / branch_name are looked up in zengin-code when omitted).
DEMO_REMITTER = {
    "code": "1234567890",
    "name": "ヨロズシエンジギヨウ ジムキヨク",
    "bank_code": "0001",
    "bank_name": "",
    "branch_code": "001",
    "branch_name": "",
    "account_type": "1",
    "account_number": "1234567",
}


def remitter():
    data = {**DEMO_REMITTER, **getattr(settings, "ZENGIN_REMITTER", {})}
    if not data.get("bank_name"):
        data["bank_name"] = (lookup_bank(data["bank_code"]) or {}).get("kana", "")
    if not data.get("branch_name"):
        data["branch_name"] = (lookup_branch(data["bank_code"], data["branch_code"]) or {}).get("kana", "")
    return Remitter(**{name: str(data[name]) for name in Remitter.__dataclass_fields__})


def settings_for_year(fy):
    found = PaymentSettings.objects.filter(fiscal_year=fy).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return PaymentSettings.objects.create(fiscal_year=fy)
    except IntegrityError:  # created meanwhile by another request
        return PaymentSettings.objects.get(fiscal_year=fy)
