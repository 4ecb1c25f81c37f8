import pytest
from django.core.exceptions import ValidationError

from core.kana import normalize_account_holder, normalize_width, to_katakana
from core.validators import (
    corporate_number_check_digit,
    validate_corporate_number,
    validate_invoice_number,
    validate_kana_reading,
    validate_katakana_name,
)

# Published 法人番号 (国税庁法人番号公表サイト).
REAL_NUMBERS = ["7000012050002", "1180301018771", "4010001008772", "5010401089998"]


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_real_corporate_numbers_pass(number):
    assert corporate_number_check_digit(number[1:]) == int(number[0])
    validate_corporate_number(number)


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_every_other_first_digit_fails_the_check(number):
    for digit in "0123456789":
        if digit != number[0]:
            with pytest.raises(ValidationError) as error:
                validate_corporate_number(digit + number[1:])
            assert error.value.code == "check_digit"
            assert "チェックディジット" in error.value.messages[0]


@pytest.mark.parametrize("value", ["", "401000100877", "40100010087720", "401000100877a"])
def test_corporate_number_must_be_13_digits(value):
    with pytest.raises(ValidationError) as error:
        validate_corporate_number(value)
    assert error.value.code == "format" and "13桁" in error.value.messages[0]


def test_invoice_number_is_t_plus_a_valid_corporate_number():
    validate_invoice_number("T4010001008772")
    for bad in ["4010001008772", "t4010001008772", "T40100010087", "T5010001008772"]:
        with pytest.raises(ValidationError):
            validate_invoice_number(bad)


@pytest.mark.parametrize("value, ok", [("やまだ たろう", True), ("ヤマダ・タロウ", True), ("yamada", False), ("山田", False), ("", False)])
def test_kana_reading(value, ok):
    if ok:
        validate_kana_reading(value)
    else:
        with pytest.raises(ValidationError):
            validate_kana_reading(value)


@pytest.mark.parametrize(
    "raw, stored",
    [("やまだ　たろう", "ヤマダ　タロウ"), ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ"), ("ｶ)ﾊﾟｿﾅ", "カ）パソナ"), ("ヤマダ-タロウ", "ヤマダ－タロウ")],
)
def test_account_holder_is_normalised_to_full_width_katakana(raw, stored):
    value = normalize_account_holder(raw)
    assert value == stored
    validate_katakana_name(value)


@pytest.mark.parametrize("raw", ["Yamada Taro", "山田太郎", "ヤマダ@タロウ", ""])
def test_account_holder_in_latin_or_kanji_is_refused(raw):
    with pytest.raises(ValidationError) as error:
        validate_katakana_name(normalize_account_holder(raw))
    assert "カタカナ" in error.value.messages[0]


def test_width_and_kana_helpers():
    assert normalize_width("４０１０") == "4010"
    assert to_katakana("ｽｽﾞｷ すずき") == "スズキ スズキ"
