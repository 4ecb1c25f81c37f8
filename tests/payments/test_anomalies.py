"""The secretariat's checks before paying: each finding says why; clear or hold with a reason."""

import datetime

import pytest

from dispatch.actions import Refused
from payments import actions, anomalies
from payments.models import AnomalyFlag, PaymentSettings
from tests.payments.builders import at, paid_expert

COPIED = ("店舗の売上推移と客層を確認し、来店客の7割が近隣の高齢者であることを共有した。"
          "チラシの配布範囲を半径1kmに絞り、写真付きのおすすめ商品を毎週入れ替える提案をした。")
OTHER = ("就業規則の現状を確認し、残業申請の手続きが口頭で行われている点を指摘した。"
         "申請書の様式を用意し、月末に勤怠を締める流れを社長と担当者で決めた。")


def flags(case, kind):
    return list(AnomalyFlag.objects.filter(case=case, kind=kind))


def test_overlapping_visits_of_one_expert_are_flagged_on_both(world):
    first = world.verified(days_ago=10, hour=10)
    second = world.verified(days_ago=10, hour=11, company=world.new_company())
    anomalies.scan([first.pk, second.pk])
    [flag] = flags(first, "overlap")
    assert flag.related_case_id == second.pk and "支援時間が重なっています" in flag.reason
    assert flags(second, "overlap")[0].related_case_id == first.pk


def test_visits_too_far_apart_for_the_time_between_them_are_flagged(world):
    tokyo = world.verified(days_ago=10, hour=10)  # 10:00–12:00 in Tokyo
    osaka = world.verified(days_ago=10, hour=13, company=world.new_company("27"))  # 13:00 in Osaka
    anomalies.scan([tokyo.pk, osaka.pk])
    [flag] = flags(osaka, "travel")
    assert flag.related_case_id == tokyo.pk
    assert "60分しかありません" in flag.reason and "東京都と大阪府" in flag.reason and "約395km" in flag.reason


def test_a_neighbouring_prefecture_in_an_hour_is_not_flagged(world):
    tokyo = world.verified(days_ago=10, hour=10)
    kanagawa = world.verified(days_ago=10, hour=13, company=world.new_company("14"))
    anomalies.scan([tokyo.pk, kanagawa.pk])
    assert not AnomalyFlag.objects.filter(kind="travel").exists()


def test_the_travel_speed_is_a_setting_of_the_year(world):
    tokyo = world.verified(days_ago=10, hour=10)
    kanagawa = world.verified(starts_at=at(10, 12, 10), company=world.new_company("14"))  # 10 minutes later
    PaymentSettings.objects.create(fiscal_year=tokyo.fiscal_year, travel_speed_kmh=60)  # 27 km takes 28 minutes
    anomalies.scan([kanagawa.pk])
    assert "時速60km" in flags(kanagawa, "travel")[0].reason


def test_the_same_expert_and_sme_often_in_a_year_are_flagged(world):
    cases = [world.verified(days_ago=10, hour=h) for h in (9, 12, 15)]
    anomalies.scan([cases[-1].pk])
    [flag] = flags(cases[-1], "pair")
    assert f"{cases[0].fiscal_year}年度に3回派遣されています（3回以上で確認）" in flag.reason


def test_two_visits_of_a_pair_are_not_flagged(world):
    cases = [world.verified(days_ago=10, hour=h) for h in (9, 12)]
    anomalies.scan([c.pk for c in cases])
    assert not AnomalyFlag.objects.filter(kind="pair").exists()


def test_a_report_nearly_identical_to_the_same_experts_other_report_is_flagged(world):
    first = world.verified(days_ago=20, activities=COPIED)
    second = world.verified(days_ago=10, company=world.new_company(), activities=COPIED.replace("7割", "6割"))
    anomalies.scan([second.pk])
    [flag] = flags(second, "text")
    assert flag.related_case_id == first.pk and "%一致しています" in flag.reason


def test_a_report_copied_by_another_expert_is_found_through_the_shingle_index(world):
    other = paid_expert(holder="スズキ　ハナコ")
    original = world.verified(days_ago=20, expert=other, company=world.new_company(), activities=COPIED)
    copy = world.verified(days_ago=10, activities=COPIED + "次回は効果を確認する。")
    anomalies.scan([copy.pk])
    assert flags(copy, "text")[0].related_case_id == original.pk


def test_different_reports_are_not_flagged(world):
    world.verified(days_ago=20, activities=COPIED)
    second = world.verified(days_ago=10, company=world.new_company(), activities=OTHER)
    anomalies.scan([second.pk])
    assert not AnomalyFlag.objects.filter(kind="text").exists()


def test_a_flagged_case_cannot_be_paid_until_cleared(world):
    first = world.verified(days_ago=10, hour=10)
    world.verified(days_ago=10, hour=11, company=world.new_company())
    anomalies.scan([first.pk])
    with pytest.raises(Refused, match="支払前点検の指摘「同じ専門家の支援時間の重なり」（未確認）"):
        actions.create_batch_of_cases(world.secretariat, [first.pk], first.starts_at.date() - datetime.timedelta(days=1),
                                      datetime.date.today(), _transfer_day())


def test_a_cleared_flag_lets_the_case_be_paid_and_survives_a_new_scan(world):
    first = world.verified(days_ago=10, hour=10, activities=COPIED)
    second = world.verified(days_ago=10, hour=11, company=world.new_company(), activities=OTHER)
    anomalies.scan([first.pk])
    flag = flags(first, "overlap")[0]
    actions.decide_flag(world.secretariat, flag.pk, "cleared", "午前と午後の記録違い。実際は別日と確認した。")
    anomalies.scan([first.pk])
    flag.refresh_from_db()
    assert flag.status == "cleared" and flag.decided_by == world.secretariat
    batch = actions.create_batch_of_cases(world.secretariat, [first.pk], datetime.date.today() - datetime.timedelta(days=30),
                                          datetime.date.today(), _transfer_day())
    assert batch.case_count == 1 and second.state == "verified"


def test_holding_a_case_needs_a_reason(world):
    first = world.verified(days_ago=10, hour=10)
    world.verified(days_ago=10, hour=11, company=world.new_company())
    anomalies.scan([first.pk])
    with pytest.raises(Refused, match="理由"):
        actions.decide_flag(world.secretariat, flags(first, "overlap")[0].pk, "held", " ")


def test_a_flag_that_no_longer_applies_disappears_on_the_next_scan(world):
    first = world.verified(days_ago=10, hour=10)
    second = world.verified(days_ago=10, hour=11, company=world.new_company())
    anomalies.scan([first.pk])
    type(second).objects.filter(pk=second.pk).update(state="cancelled")
    anomalies.scan([first.pk])
    assert not flags(first, "overlap")


def _transfer_day():
    from core.dates import add_business_days

    return add_business_days(datetime.date.today(), 2)


def test_building_a_batch_checks_unchecked_cases_first_and_keeps_the_flags_when_refused(world):
    first = world.verified(days_ago=10, hour=10)
    world.verified(days_ago=10, hour=11, company=world.new_company(), state="paid")
    with pytest.raises(Refused, match="同じ専門家の支援時間の重なり"):
        actions.create_batch(world.secretariat, datetime.date.today() - datetime.timedelta(days=30), datetime.date.today(),
                             _transfer_day())
    assert flags(first, "overlap")  # kept for the secretariat to clear or hold


def test_a_case_verified_again_after_its_check_is_checked_again(world):
    case = world.verified(days_ago=10)
    anomalies.scan([case.pk])
    assert anomalies.unchecked([case.pk]) == []
    type(case).objects.filter(pk=case.pk).update(step_started_at=case.step_started_at + datetime.timedelta(days=400))
    assert anomalies.unchecked([case.pk]) == [case.pk]


def test_the_nightly_command_checks_every_verified_case_not_yet_in_a_batch(world):
    from io import StringIO

    from django.core.management import call_command

    first = world.verified(days_ago=10, hour=10)
    world.verified(days_ago=10, hour=11, company=world.new_company())
    out = StringIO()
    call_command("scan_payment_anomalies", stdout=out)
    assert "checked 2 cases; 2 open flags" in out.getvalue() and flags(first, "overlap")
