"""Amounts and bank details of cases about to be paid (reads the database, writes nothing)."""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.services import programme_for_year
from reference.banks import lookup_bank, lookup_branch

from . import rules
from .zengin import NAME_WIDTH, UnconvertibleName, to_zengin, written_name

ACCOUNT_TYPES = {"1", "2", "4"}


def report_of(case):
    try:
        return case.support_report
    except ObjectDoesNotExist:  # no report filed
        return None


def hours_of(case, report):
    """Hours from the support report; the scheduled length when there is none (never paid without a
    report in practice: a case reaches 'verified' only after the report)."""
    if report is not None:
        return Decimal(report.hours)
    return Decimal((case.ends_at - case.starts_at).total_seconds()) / Decimal(3600)


def amounts_for(case, programmes=None):
    """CaseAmounts of one case under its fiscal year's rules. `programmes` caches ProgrammeYear per year."""
    programmes = {} if programmes is None else programmes
    if case.fiscal_year not in programmes:
        programmes[case.fiscal_year] = programme_for_year(case.fiscal_year)
    report = report_of(case)
    claimed = report.travel_claimed if report else 0
    return rules.case_amounts(programmes[case.fiscal_year], hours_of(case, report), claimed)


def account_of(expert):
    try:
        return expert.bank_account
    except ObjectDoesNotExist:
        return None


def bank_problems(expert, account):
    """Why the expert cannot be paid by transfer (Japanese sentences); empty when the account is valid."""
    name = expert.display_name
    if account is None:
        return [_("%(name)s：振込先口座が登録されていません。専門家に口座の登録を依頼してください。") % {"name": name}]
    problems = []
    bank = lookup_bank(account.bank_code)
    if bank is None:
        problems.append(_("%(name)s：金融機関コード%(code)sが全銀コードにありません。") % {"name": name, "code": account.bank_code})
    elif lookup_branch(account.bank_code, account.branch_code) is None:
        problems.append(_("%(name)s：%(bank)sに支店コード%(code)sがありません。") % {
            "name": name, "bank": bank["name"], "code": account.branch_code})
    if not (account.account_number.isdigit() and len(account.account_number) == 7):
        problems.append(_("%(name)s：口座番号は数字7桁でなければなりません。") % {"name": name})
    if account.account_type not in ACCOUNT_TYPES:
        problems.append(_("%(name)s：預金種目が正しくありません。") % {"name": name})
    try:
        to_zengin(account.holder_kana)
    except UnconvertibleName as exc:
        problems.append(_("%(name)s：口座名義を半角カナにできません。") % {"name": name} + exc.reason)
    return problems


def holder_names(batch, is_open):
    """The account holder names as the batch's transfer file holds them, before it is written:
    (cut, problems). `cut`: payees whose name is longer than the record's field, with how it reads
    there; `problems`: Japanese reasons naming the experts who cannot be paid by transfer. An open
    batch takes each expert's account as it is now (as the first export will); later, the frozen one."""
    cut, problems = [], []
    remittances = batch.remittances.order_by("payee_name", "pk")
    if is_open:
        remittances = remittances.select_related("expert", "expert__bank_account")
    for r in remittances:
        holder = r.holder_kana
        if is_open:
            account = account_of(r.expert)
            reasons = bank_problems(r.expert, account)
            if reasons:
                problems += reasons
                continue
            holder = account.holder_kana
        try:
            converted, written = written_name(holder)
        except UnconvertibleName as exc:  # only for data changed behind the application's back
            problems.append(_("%(name)s：口座名義を半角カナにできません。") % {"name": r.payee_name} + exc.reason)
            continue
        if len(converted) > NAME_WIDTH:
            cut.append({"payee": r.payee_name, "holder": holder, "converted": converted, "written": written,
                        "dropped": converted[NAME_WIDTH:]})
    return cut, problems


def bank_snapshot(account):
    """The account as it goes into the transfer file; names in kana from zengin-code."""
    bank = lookup_bank(account.bank_code)
    branch = lookup_branch(account.bank_code, account.branch_code)
    return {
        "bank_code": account.bank_code, "bank_name": bank["kana"], "branch_code": account.branch_code,
        "branch_name": branch["kana"], "account_type": account.account_type,
        "account_number": account.account_number, "holder_kana": account.holder_kana,
    }


def visit_date(case):
    return timezone.localtime(case.starts_at).date()
