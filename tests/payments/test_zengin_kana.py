"""Names as the transfer file needs them: half-width katakana, upper-case letters, digits, few symbols."""

import pytest

from payments.zengin import UnconvertibleName, to_zengin


def test_full_width_katakana_becomes_half_width():
    assert to_zengin("ヤマダ　タロウ") == "ﾔﾏﾀﾞ ﾀﾛｳ"


def test_small_kana_become_large_as_banks_require():
    assert to_zengin("キョウト　ショッテン") == "ｷﾖｳﾄ ｼﾖﾂﾃﾝ"


def test_the_long_vowel_mark_becomes_a_hyphen():
    assert to_zengin("コーポレーション") == "ｺ-ﾎﾟﾚ-ｼﾖﾝ"


def test_company_names_keep_brackets_letters_and_digits():
    assert to_zengin("カ）ＡＢＣ１２３") == "ｶ)ABC123"


def test_hiragana_and_lower_case_letters_are_converted():
    assert to_zengin("やまだ abc") == "ﾔﾏﾀﾞ ABC"


def test_half_width_input_stays_half_width():
    assert to_zengin("ﾔﾏﾀﾞ ﾀﾛｳ") == "ﾔﾏﾀﾞ ﾀﾛｳ"


def test_vu_and_obsolete_kana_are_written_as_banks_do():
    assert to_zengin("ヴィヰヱ") == "ｳﾞｲｲｴ"


def test_kanji_cannot_be_converted_and_the_reason_names_the_characters():
    with pytest.raises(UnconvertibleName) as refused:
        to_zengin("山田　タロウ")
    assert "山、田" in refused.value.reason
    assert "全銀ファイルで使えない文字" in refused.value.reason


def test_an_empty_name_cannot_be_converted():
    with pytest.raises(UnconvertibleName):
        to_zengin("　")
