"""The 全銀協 総合振込 file of a batch, parsed back field by field."""

import datetime

import pytest

from core.dates import add_business_days
from payments import actions, zengin
from payments.models import Remittance
from tests.payments.builders import account, paid_expert, pay

REMITTER = {
    "code": "0123456789", "name": "ヨロズジギヨウ　ジムキヨク", "bank_code": "0005", "branch_code": "001",
    "account_type": "1", "account_number": "7654321",
}


@pytest.fixture(autouse=True)
def remitter(settings):
    settings.ZENGIN_REMITTER = REMITTER


def transfer_day():
    return add_business_days(datetime.date.today(), 2)


@pytest.fixture
def exported(world):
    corporate = paid_expert(holder="カ）ヨロズコンサルティング", is_corporation=True, display_name="株式会社よろずコンサルティング")
    world.verified(days_ago=12)
    world.verified(days_ago=11, hour=14)
    world.verified(days_ago=10, expert=corporate, company=world.new_company(), travel_claimed=0)
    day = transfer_day()
    batch = actions.create_batch(world.secretariat, day - datetime.timedelta(days=40), datetime.date.today(), day)
    data = actions.export_batch(world.secretariat, batch.pk)
    return batch, data, corporate


def test_every_record_is_120_bytes_and_ends_with_crlf(exported):
    _batch, data, _corporate = exported
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) == 120 for line in lines[:-1])
    assert [line[:1] for line in lines[:-1]] == [b"1", b"2", b"2", b"8", b"9"]


def test_the_header_carries_the_remitter_and_the_transfer_date(exported):
    batch, data, _corporate = exported
    header = zengin.parse(data).header
    assert (header["type_code"], header["code_class"], header["remitter_code"]) == ("21", "0", "0123456789")
    assert header["remitter_name"].rstrip() == "ﾖﾛｽﾞｼﾞｷﾞﾖｳ ｼﾞﾑｷﾖｸ"
    assert header["transfer_date"] == f"{batch.transfer_date:%m%d}"
    assert (header["bank_code"], header["bank_name"].rstrip()) == ("0005", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ")
    assert (header["branch_code"], header["account_type"], header["account_number"]) == ("001", "1", "7654321")


def test_each_expert_gets_one_data_record_with_kana_names_and_the_net_amount(exported, world):
    batch, data, corporate = exported
    records = {r["name"].rstrip(): r for r in zengin.parse(data).records}
    individual = records["ﾔﾏﾀﾞ ﾀﾛｳ"]
    assert (individual["bank_code"], individual["bank_name"].rstrip()) == ("0001", "ﾐｽﾞﾎ")
    assert (individual["branch_code"], individual["branch_name"].rstrip()) == ("001", "ﾄｳｷﾖｳ")
    assert (individual["clearing_house"], individual["account_type"], individual["account_number"]) == ("0000", "1", "1234567")
    gross = 2 * (30000 + 1320)
    assert int(individual["amount"]) == gross - gross * 1021 // 10000
    assert int(records["ｶ)ﾖﾛｽﾞｺﾝｻﾙﾃｲﾝｸﾞ"]["amount"]) == 30000  # a corporation: nothing withheld
    assert individual["new_code"] == "1" and individual["transfer_class"] == "7"
    assert int(individual["customer_code1"]) == world.expert.pk


def test_the_trailer_count_and_total_match_the_data_records(exported):
    batch, data, _corporate = exported
    parsed = zengin.parse(data)
    assert int(parsed.trailer["count"]) == 2 == batch.payee_count
    assert int(parsed.trailer["total"]) == sum(int(r["amount"]) for r in parsed.records) == batch.net_total


def test_the_file_is_cp932_half_width_only(exported):
    _batch, data, _corporate = exported
    text = data.decode("cp932")
    assert all(c in zengin.ALLOWED or c in "\r\n" for c in text)
    assert len(data) == len(text)  # one byte per character: no full-width characters


def test_a_changed_account_is_marked_as_changed_in_the_next_file(exported, world):
    batch, _data, _corporate = exported
    pay(world.secretariat, batch)
    world.expert.bank_account.delete()
    account(world.expert, number="7777777")
    world.verified(days_ago=5, company=world.new_company())
    day = transfer_day()
    second = actions.create_batch(world.secretariat, datetime.date.today() - datetime.timedelta(days=6), datetime.date.today(), day)
    record = zengin.parse(actions.export_batch(world.secretariat, second.pk)).records[0]
    assert (record["account_number"], record["new_code"]) == ("7777777", "2")


def test_a_parser_refuses_a_file_whose_trailer_total_is_wrong(exported):
    _batch, data, _corporate = exported
    lines = data.split(b"\r\n")
    lines[3] = lines[3][:7] + b"%012d" % 1 + lines[3][19:]
    with pytest.raises(zengin.InvalidFile, match="total"):
        zengin.parse(b"\r\n".join(lines))


def test_a_remittance_keeps_the_account_that_was_exported(exported, world):
    remittance = Remittance.objects.get(expert=world.expert)
    assert (remittance.account_number, remittance.holder_kana) == ("1234567", "ヤマダ　タロウ")
