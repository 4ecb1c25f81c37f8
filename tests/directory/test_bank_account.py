"""Experts' transfer accounts: 全銀 codes checked against zengin-code, holder in katakana."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from directory.models import BankAccount, ExpertProfile
from tests import factories

pytestmark = pytest.mark.django_db

FORM = {
    "bank_code": "0001",
    "branch_code": "001",
    "account_type": "1",
    "account_number": "1234567",
    "holder_kana": "シンダンシ　ハナコ",
}


@pytest.fixture
def expert(db):
    return factories.ExpertFactory(status=ExpertProfile.Status.PENDING)


def post(client, **overrides):
    return client.post(reverse("directory:bank_account_edit"), {**FORM, **overrides})


def test_expert_saves_account_with_real_bank_and_branch(client, login, expert):
    login(expert.user)
    response = post(client)
    assert response.status_code == 302
    account = BankAccount.objects.get(expert=expert)
    assert (account.bank_name, account.branch_name) == ("みずほ", "東京営業部")
    assert account.holder_kana == "シンダンシ　ハナコ"
    event = AuditEvent.objects.get(action="expert.bank_account_saved")
    assert event.changes["account_number"] == ["***", "***"]  # never copied into the log
    assert event.changes["bank_code"] == [None, "0001"]


def test_short_account_number_is_padded_to_seven_digits(client, login, expert):
    login(expert.user)
    post(client, account_number="123")
    assert BankAccount.objects.get().account_number == "0000123"


@pytest.mark.parametrize("holder", ["しんだんし　はなこ", "ｼﾝﾀﾞﾝｼ ﾊﾅｺ", "シンダンシ ハナコ"])
def test_hiragana_and_half_width_holder_is_stored_as_full_width_katakana(client, login, expert, holder):
    login(expert.user)
    assert post(client, holder_kana=holder).status_code == 302
    assert BankAccount.objects.get().holder_kana == "シンダンシ　ハナコ"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"bank_code": "9998"}, "bank_code", "金融機関コードは見つかりません"),
        ({"branch_code": "999"}, "branch_code", "みずほにこの支店コードは見つかりません"),
        ({"bank_code": "1"}, "bank_code", "半角数字4桁"),
        ({"branch_code": "01a"}, "branch_code", "半角数字3桁"),
        ({"account_number": "12345678"}, "account_number", "7桁以内"),
        ({"holder_kana": "Hanako Shindanshi"}, "holder_kana", "カタカナ"),
        ({"holder_kana": "診断士花子"}, "holder_kana", "カタカナ"),
    ],
)
def test_bad_account_is_refused_at_the_field(client, login, expert, overrides, field, message):
    login(expert.user)
    response = post(client, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not BankAccount.objects.exists()
    assert not AuditEvent.objects.filter(action="expert.bank_account_saved").exists()


def test_company_style_holder_with_letters_and_katakana_is_allowed(client, login, expert):
    login(expert.user)
    assert post(client, holder_kana="ｶ)ABCｺﾝｻﾙ").status_code == 302
    assert BankAccount.objects.get().holder_kana == "カ）ＡＢＣコンサル"


def test_user_without_profile_is_asked_to_create_one_first(client, login):
    login(factories.UserFactory())
    response = post(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:expert_profile_edit")
    assert not BankAccount.objects.exists()
