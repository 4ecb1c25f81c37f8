from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.images import sanitize_image
from directory.models import Organisation
from reference.models import Specialty

from .models import Consultation


class CompanyLookupForm(forms.Form):
    company_ref = forms.CharField(
        label=_("法人番号または事業者番号"), max_length=20,
        help_text=_("事業者がマイページで確認できる番号、または13桁の法人番号を入力してください。"),
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ConsultationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("支援機関"), queryset=Organisation.objects.none())
    held_on = forms.DateField(label=_("相談日"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("相談方法"), choices=Consultation.Channel.choices, widget=forms.RadioSelect)
    sme_members = MemberChoiceField(
        label=_("相談に来た事業者の担当者"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    attendees_note = forms.CharField(label=_("相談者（氏名・役職）"), max_length=200, required=False)
    topics = forms.ModelMultipleChoiceField(
        label=_("相談分野"), queryset=Specialty.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("相談分野を1つ以上選んでください。")},
    )
    problem = forms.CharField(label=_("課題"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    outcome = forms.ChoiceField(label=_("対応結果"), choices=Consultation.Outcome.choices, widget=forms.RadioSelect)
    next_steps = forms.CharField(label=_("今後の対応"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)
    refer_to = forms.ModelChoiceField(
        label=_("紹介先の支援機関"), queryset=Organisation.objects.filter(is_active=True), required=False,
        help_text=_("対応結果が「他機関へ紹介」のときに選んでください。"),
    )
    referral_note = forms.CharField(label=_("紹介の内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    photo = forms.ImageField(
        label=_("相談時の写真"), required=False,
        help_text=_("専門家派遣を行う場合は、後日支援を受ける方が写った写真が必要です。位置情報などは削除して保存します。"),
    )

    def __init__(self, *args, organisations, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:  # evaluated once; staff belong to one or two organisations
            self.fields["organisation"].initial = organisations[0].pk
        self.fields["sme_members"].queryset = get_user_model().objects.filter(memberships__company=company).order_by("pk")

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("相談日に未来の日付は入力できません。"))
        return value

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        return sanitize_image(photo) if photo else None

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Consultation.Outcome.REFERRED:
            if not data.get("refer_to"):
                self.add_error("refer_to", _("紹介先の支援機関を選んでください。"))
            if not (data.get("referral_note") or "").strip():
                self.add_error("referral_note", _("紹介の内容を入力してください。"))
        elif data.get("refer_to"):
            self.add_error("outcome", _("紹介先を選んだときは、対応結果を「他機関へ紹介」にしてください。"))
        organisation = data.get("organisation")
        if organisation and data.get("refer_to") == organisation:
            self.add_error("refer_to", _("紹介先には、別の支援機関を選んでください。"))
        return data


class PhotoForm(forms.Form):
    photo = forms.ImageField(label=_("相談時の写真"))

    def clean_photo(self):
        return sanitize_image(self.cleaned_data["photo"])


class CloseReferralForm(forms.Form):
    result = forms.CharField(label=_("紹介先での対応結果"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
