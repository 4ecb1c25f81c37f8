"""Building, exporting, paying and cancelling a payment batch; bad input changes nothing."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from core.dates import add_business_days
from directory.models import BankAccount
from dispatch.actions import Refused
from dispatch.models import DispatchEvent, State
from notifications.models import Outbox
from payments import actions
from payments.models import PaymentBatch, PaymentLine
from tests.payments.builders import pay

TODAY = datetime.date.today


def day():
    return add_business_days(TODAY(), 2)


def build(world, **kwargs):
    return actions.create_batch(world.secretariat, TODAY() - datetime.timedelta(days=60), TODAY(), day(), **kwargs)


def test_a_batch_totals_honorarium_travel_and_withholding(world):
    world.verified(days_ago=12)
    world.verified(days_ago=11)
    batch = build(world)
    assert (batch.case_count, batch.payee_count, batch.honorarium_total, batch.travel_total) == (2, 1, 60000, 2640)
    assert (batch.withholding_total, batch.net_total) == (6395, 62640 - 6395)


def test_a_case_that_is_not_verified_is_refused_and_nothing_is_written(world):
    certified = world.verified(days_ago=12, state=State.CERTIFIED)
    with pytest.raises(Refused, match="「従事証明済み」のため支払に含められません"):
        actions.create_batch_of_cases(world.secretariat, [certified.pk], TODAY() - datetime.timedelta(days=60), TODAY(), day())
    assert not PaymentBatch.objects.exists() and not PaymentLine.objects.exists()


def test_an_expert_without_a_bank_account_is_refused_with_the_name(world):
    world.verified(days_ago=12)
    BankAccount.objects.filter(expert=world.expert).delete()
    with pytest.raises(Refused, match=f"{world.expert.display_name}：振込先口座が登録されていません"):
        build(world)
    assert not PaymentBatch.objects.exists()


def test_an_account_name_that_cannot_be_half_width_kana_is_refused(world):
    world.verified(days_ago=12)
    BankAccount.objects.filter(expert=world.expert).update(holder_kana="山田　タロウ")
    with pytest.raises(Refused, match="口座名義を半角カナにできません"):
        build(world)
    assert not PaymentBatch.objects.exists()


def test_an_unknown_branch_code_is_refused(world):
    world.verified(days_ago=12)
    BankAccount.objects.filter(expert=world.expert).update(branch_code="999")
    with pytest.raises(Refused, match="支店コード999がありません"):
        build(world)


def test_a_case_already_in_a_batch_is_not_taken_again(world):
    world.verified(days_ago=12)
    build(world)
    with pytest.raises(Refused, match="支払の対象となる派遣"):
        build(world)


def test_excluded_cases_stay_out_of_the_batch(world):
    first = world.verified(days_ago=12)
    second = world.verified(days_ago=11)
    batch = build(world, exclude_ids=[first.pk])
    assert list(PaymentLine.objects.filter(remittance__batch=batch).values_list("case_id", flat=True)) == [second.pk]


def test_the_batch_is_refused_when_the_cases_changed_since_the_list_was_shown(world):
    world.verified(days_ago=12)
    with pytest.raises(Refused, match="一覧を確認し直してください"):
        build(world, expected_count=2)


def test_a_transfer_date_on_a_holiday_is_refused(world):
    world.verified(days_ago=12)
    sunday = TODAY() + datetime.timedelta(days=6 - TODAY().weekday() + 7)
    with pytest.raises(Refused, match="営業日"):
        actions.create_batch(world.secretariat, TODAY() - datetime.timedelta(days=60), TODAY(), sunday)


def test_paying_a_batch_moves_its_cases_to_paid_with_a_timeline_entry(world):
    case = world.verified(days_ago=12)
    batch = build(world)
    actions.export_batch(world.secretariat, batch.pk)
    pay(world.secretariat, batch)
    case.refresh_from_db()
    assert case.state == State.PAID
    event = DispatchEvent.objects.filter(case=case).last()
    assert (event.from_state, event.to_state) == (State.VERIFIED, State.PAID) and f"支払バッチ#{batch.pk}" in event.reason


def test_the_expert_is_mailed_when_paid(world, smtp_server, deliver_mail):
    world.verified(days_ago=12)
    batch = build(world)
    actions.export_batch(world.secretariat, batch.pk)
    pay(world.secretariat, batch)
    deliver_mail()
    [received] = [m for m in smtp_server.messages if world.expert.user.email in m["to"]]
    message = received["message"]
    body = message.get_body(("plain",)).get_content()
    assert "謝金・旅費をお支払いしました" in str(message["Subject"]) and "振込金額：28,123円" in body


def test_a_batch_cannot_be_paid_before_its_file_is_exported(world):
    world.verified(days_ago=12)
    batch = build(world)
    with pytest.raises(Refused, match="先に振込ファイルを出力"):
        pay(world.secretariat, batch)


def test_a_paid_batch_cannot_be_paid_again(world):
    world.verified(days_ago=12)
    batch = build(world)
    actions.export_batch(world.secretariat, batch.pk)
    pay(world.secretariat, batch)
    with pytest.raises(Refused, match="既に支払済み"):
        pay(world.secretariat, batch)
    assert Outbox.objects.filter(template="payment_paid").count() == 1


def test_a_second_export_of_a_paid_batch_is_refused(world):
    world.verified(days_ago=12)
    batch = build(world)
    actions.export_batch(world.secretariat, batch.pk)
    pay(world.secretariat, batch)
    with pytest.raises(Refused, match="支払済みのバッチの振込ファイルは出力できません"):
        actions.export_batch(world.secretariat, batch.pk)


def test_a_batch_being_marked_paid_cannot_be_exported_or_cancelled(world):
    world.verified(days_ago=12)
    batch = build(world)
    actions.export_batch(world.secretariat, batch.pk)
    actions.start_paying(world.secretariat, batch.pk)
    with pytest.raises(Refused, match="支払済みのバッチの振込ファイルは出力できません"):
        actions.export_batch(world.secretariat, batch.pk)
    with pytest.raises(Refused, match="取り消せません"):
        actions.cancel_batch(world.secretariat, batch.pk, "誤り")
    assert PaymentBatch.objects.get(pk=batch.pk).state == PaymentBatch.State.PAYING


def test_exporting_an_unpaid_batch_again_gives_the_same_bytes(world):
    world.verified(days_ago=12)
    batch = build(world)
    first = actions.export_batch(world.secretariat, batch.pk)
    BankAccount.objects.filter(expert=world.expert).update(account_number="7777777")  # after the file went out
    assert actions.export_batch(world.secretariat, batch.pk) == first


def test_the_command_writes_the_same_bytes_as_the_download(world, tmp_path, client, login):
    world.verified(days_ago=12)
    batch = build(world)
    download = login(world.secretariat).post(f"/payments/{batch.pk}/export/").content
    output = tmp_path / "furikomi.txt"
    call_command("export_zengin", str(batch.pk), "--output", str(output))
    assert output.read_bytes() == download


def test_the_command_refuses_a_paid_batch_and_leaves_no_file(world, tmp_path):
    world.verified(days_ago=12)
    batch = build(world)
    actions.export_batch(world.secretariat, batch.pk)
    pay(world.secretariat, batch)
    output = tmp_path / "furikomi.txt"
    with pytest.raises(CommandError, match="支払済み"):
        call_command("export_zengin", str(batch.pk), "--output", str(output))
    assert not output.exists()


def test_a_failed_write_leaves_no_partial_file_and_the_batch_unexported(world, tmp_path):
    world.verified(days_ago=12)
    batch = build(world)
    folder = tmp_path / "out"
    output = folder / "furikomi.txt"
    output.mkdir(parents=True)  # the rename onto a directory fails after the bytes were written
    with pytest.raises(CommandError, match="書き込めません"):
        call_command("export_zengin", str(batch.pk), "--output", str(output))
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.State.OPEN and batch.export_count == 0
    assert [p.name for p in folder.iterdir()] == ["furikomi.txt"] and not any(output.iterdir())


def test_an_export_refused_for_a_held_case_changes_nothing(world):
    from payments.models import AnomalyFlag

    case = world.verified(days_ago=12)
    batch = build(world)
    AnomalyFlag.objects.create(case=case, kind="pair", key="pair:x", reason="テスト", status=AnomalyFlag.Status.HELD)
    with pytest.raises(Refused, match="保留"):
        actions.export_batch(world.secretariat, batch.pk)
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.State.OPEN and not batch.file_sha256


def test_cancelling_a_batch_frees_its_cases_for_the_next_one(world):
    world.verified(days_ago=12)
    batch = build(world)
    actions.cancel_batch(world.secretariat, batch.pk, "振込指定日を誤ったため")
    assert build(world).case_count == 1


def test_only_the_secretariat_builds_batches(world):
    from django.core.exceptions import PermissionDenied

    world.verified(days_ago=12)
    with pytest.raises(PermissionDenied):
        actions.create_batch(world.staff, TODAY() - datetime.timedelta(days=60), TODAY(), day())
