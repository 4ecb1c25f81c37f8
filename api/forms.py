from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    ("30", _("30日")),
    ("90", _("90日")),
    ("365", _("1年")),
    ("", _("無期限（無効にするまで）")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("名前（用途）"), max_length=60,
        help_text=_("例：事務所の集計シート、〇〇システム連携"),
        error_messages={
            "required": _("トークンの名前（用途）を入力してください。"),
            "max_length": _("名前は%(limit_value)d文字以内で入力してください。"),
        },
    )
    expiry_days = forms.ChoiceField(
        label=_("有効期限"), choices=EXPIRY_CHOICES, initial="90", required=False,
        error_messages={"invalid_choice": _("選択肢の中から選んでください。")},
    )
