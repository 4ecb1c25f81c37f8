"""Validators for Japanese identifiers; messages are shown to users next to the field."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .kana import is_zengin_katakana


def corporate_number_check_digit(body12):
    """Check digit of a 法人番号 for its lower 12 digits (国税庁の計算式)."""
    digits = [int(c) for c in reversed(body12)]  # P1 is the lowest digit
    total = sum(d * (1 if n % 2 == 1 else 2) for n, d in enumerate(digits, start=1))
    return 9 - total % 9


def validate_corporate_number(value):
    if not re.fullmatch(r"\d{13}", value or ""):
        raise ValidationError(_("法人番号は半角数字13桁で入力してください。"), code="format")
    if int(value[0]) != corporate_number_check_digit(value[1:]):
        raise ValidationError(
            _("法人番号のチェックディジット（先頭の1桁）が正しくありません。番号をご確認ください。"),
            code="check_digit",
        )


def validate_invoice_number(value):
    if not re.fullmatch(r"T\d{13}", value or ""):
        raise ValidationError(
            _("登録番号は「T」に続けて半角数字13桁で入力してください（例：T1234567890123）。"), code="format"
        )
    validate_corporate_number(value[1:])


def validate_katakana_name(value):
    if not is_zengin_katakana(value):
        raise ValidationError(
            _("口座名義はカタカナで入力してください（ローマ字だけの名義や漢字は使えません。記号は「（）．－／」のみ）。"),
            code="katakana",
        )


def validate_kana_reading(value):
    if not re.fullmatch(r"[\u3041-\u3096\u30A1-\u30FA\u30FC\u3000 ・]+", value or ""):
        raise ValidationError(_("ふりがなはひらがなまたはカタカナで入力してください。"), code="kana")
