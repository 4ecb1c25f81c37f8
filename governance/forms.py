from django import forms
from django.utils.translation import gettext_lazy as _

from reference.models import Bureau, Qualification, Specialty

from .models import AuditSampleItem, FollowUp, NetworkActivity, Training

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
TEXT = {"widget": forms.Textarea(attrs={"rows": 5})}


class SettingsForm(forms.Form):
    survey_sample_percent = forms.IntegerField(label=_("満足度調査の抽出率（％）"), min_value=0, max_value=100)
    survey_window_days = forms.IntegerField(label=_("満足度調査の対象（相談日・従事証明日から何日以内）"), min_value=1, max_value=365)
    link_valid_days = forms.IntegerField(label=_("回答用リンクの有効期間（日）"), min_value=1, max_value=365)
    sampling_seed = forms.CharField(label=_("抽出の種（同じ種なら同じ抽出結果）"), max_length=40)
    audit_sample_percent = forms.IntegerField(label=_("記録の抜き取り確認の抽出率（％）"), min_value=1, max_value=100)
    followup_grace_days = forms.IntegerField(label=_("成果の追跡調査：送信予定日を過ぎても送る日数"), min_value=1, max_value=365)
    weight_indicators = forms.IntegerField(label=_("評価の重み：活動指標の実績"), min_value=0, max_value=100)
    weight_survey = forms.IntegerField(label=_("評価の重み：顧客満足度調査"), min_value=0, max_value=100)
    weight_org_evaluation = forms.IntegerField(label=_("評価の重み：支援機関による評価"), min_value=0, max_value=100)
    weight_hearing = forms.IntegerField(label=_("評価の重み：ヒアリング（チェックリスト）"), min_value=0, max_value=100)
    grade_s_min = forms.IntegerField(label=_("S評価の下限（点）"), min_value=0, max_value=100)
    grade_a_min = forms.IntegerField(label=_("A評価の下限（点）"), min_value=0, max_value=100)
    grade_b_min = forms.IntegerField(label=_("B評価の下限（点、これ未満は重点指導）"), min_value=0, max_value=100)


class PolicyForm(forms.Form):
    title = forms.CharField(label=_("表題"), max_length=120)
    body = forms.CharField(label=_("活動方針"), widget=forms.Textarea(attrs={"rows": 12}))
    publish = forms.BooleanField(label=_("保存して全拠点に公表する"), required=False)


class PlanForm(forms.Form):
    needs_analysis = forms.CharField(label=_("地域の中小企業・支援の実状とニーズの分析"), required=False, **TEXT)
    plan_text = forms.CharField(label=_("事業計画"), required=False, **TEXT)
    target_consultations = forms.IntegerField(label=_("目標：相談対応件数"), min_value=0, max_value=1_000_000)
    target_visitors = forms.IntegerField(label=_("目標：来訪相談者数"), min_value=0, max_value=1_000_000)
    target_solved = forms.IntegerField(label=_("目標：課題解決件数"), min_value=0, max_value=1_000_000)
    target_network = forms.IntegerField(label=_("目標：ネットワーク活動件数"), min_value=0, max_value=1_000_000)


class FocusAreaForm(forms.Form):
    name = forms.CharField(label=_("重点分野"), max_length=60)
    specialties = forms.ModelMultipleChoiceField(
        label=_("実績として数える相談分野"), queryset=Specialty.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple
    )
    target = forms.IntegerField(label=_("目標（相談件数）"), min_value=1, max_value=1_000_000)
    description = forms.CharField(label=_("取組の内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmPlanForm(forms.Form):
    interview_on = forms.DateField(label=_("期初面談の日"), **DATE)
    interview_notes = forms.CharField(label=_("期初面談の記録"), **TEXT)


class ReturnPlanForm(forms.Form):
    reason = forms.CharField(label=_("差戻しの理由"), widget=forms.Textarea(attrs={"rows": 3}))


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("訪問日"), **DATE)
    sat_in_consultations = forms.IntegerField(label=_("同席した個別相談の数"), min_value=0, max_value=100, initial=0)
    observations = forms.CharField(label=_("現状の把握"), **TEXT)
    advice = forms.CharField(label=_("助言"), **TEXT)
    follow_ups = forms.CharField(
        label=_("フォロー事項（1行に1件）"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("次回の訪問までに拠点が対応する事項を1行ずつ書いてください。"),
    )
    follow_up_due = forms.DateField(label=_("フォロー事項の期限"), required=False, **DATE)

    def clean_follow_ups(self):
        return [line.strip() for line in self.cleaned_data["follow_ups"].splitlines() if line.strip()]


class FollowUpDoneForm(forms.Form):
    result = forms.CharField(label=_("対応結果"), widget=forms.Textarea(attrs={"rows": 2}))


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("種別"), choices=Training.Kind.choices)
    title = forms.CharField(label=_("研修名"), max_length=120)
    held_on = forms.DateField(label=_("実施日"), **DATE)
    place = forms.CharField(label=_("会場"), max_length=120, required=False)
    bureau = forms.ModelChoiceField(label=_("ブロック（経済産業局）"), queryset=Bureau.objects.all(), required=False)


class AttendanceForm(forms.Form):
    users = forms.MultipleChoiceField(label=_("受講した職員"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(u.pk): u for u in staff}
        self.fields["users"].choices = [(str(u.pk), u.name) for u in staff]

    def clean_users(self):
        return [self.staff[pk] for pk in self.cleaned_data["users"]]


class NetworkActivityForm(forms.Form):
    held_on = forms.DateField(label=_("実施日"), **DATE)
    partner_kind = forms.ChoiceField(label=_("相手先の種別"), choices=NetworkActivity.PartnerKind.choices)
    partner_name = forms.CharField(label=_("相手先"), max_length=100, help_text=_("例：府中市商工会、○○商店街振興組合"))
    purpose = forms.ChoiceField(label=_("内容"), choices=NetworkActivity.Purpose.choices)
    note = forms.CharField(label=_("記録"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class QualificationsForm(forms.Form):
    qualifications = forms.ModelMultipleChoiceField(
        label=_("保有している資格（複数選択可）"), queryset=Qualification.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple, required=False,
    )


class HearingForm(forms.Form):
    held_on = forms.DateField(label=_("ヒアリング日"), **DATE)
    own_initiatives = forms.CharField(label=_("独自の取組（数字以外）"), required=False, **TEXT)
    notes = forms.CharField(label=_("所見"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"score_{item.pk}"] = forms.IntegerField(
                label=f"［{item.get_category_display()}］{item.text}", min_value=0, max_value=item.max_score,
                help_text=_("0〜%(max)s点") % {"max": item.max_score},
            )

    def scores(self):
        return {item.pk: (self.cleaned_data[f"score_{item.pk}"], "") for item in self.items}


class EvaluationForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("よろず支援拠点との連携の評価"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5：大変良い")), (4, _("4：良い")), (3, _("3：普通")), (2, _("2：あまり良くない")), (1, _("1：良くない"))],
    )
    comment = forms.CharField(label=_("コメント（具体的な連携の事例、改善してほしい点など）"), required=False, **TEXT)


class BudgetForm(forms.Form):
    budget_change_percent = forms.DecimalField(label=_("次年度予算への反映（増減率％）"), max_digits=5, decimal_places=1,
                                               min_value=-100, max_value=100)
    budget_amount = forms.IntegerField(label=_("次年度予算額（千円）"), min_value=0, required=False)
    budget_note = forms.CharField(label=_("予算反映の説明"), widget=forms.Textarea(attrs={"rows": 3}))
    guidance_note = forms.CharField(label=_("重点指導の内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AuditSampleForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    percent = forms.IntegerField(label=_("抽出率（％）"), min_value=1, max_value=100)
    seed = forms.CharField(label=_("抽出の種（同じ種なら同じ抽出結果）"), max_length=40)
    include_consultations = forms.BooleanField(label=_("経営相談を含める"), required=False, initial=True)
    include_dispatches = forms.BooleanField(label=_("専門家派遣を含める"), required=False, initial=True)


class AuditCheckForm(forms.Form):
    result = forms.ChoiceField(label=_("確認結果"), choices=[c for c in AuditSampleItem.Result.choices if c[0]],
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("確認メモ"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


SCALE = [(5, _("5：大変満足")), (4, _("4：満足")), (3, _("3：普通")), (2, _("2：やや不満")), (1, _("1：不満"))]


class SurveyForm(forms.Form):
    satisfaction = forms.TypedChoiceField(label=_("総合的な満足度"), coerce=int, choices=SCALE, widget=forms.RadioSelect)
    usefulness = forms.TypedChoiceField(
        label=_("相談・支援は課題の解決に役立ちましたか"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5：大変役立った")), (4, _("4：役立った")), (3, _("3：どちらともいえない")), (2, _("2：あまり役立たなかった")),
                 (1, _("1：役立たなかった"))],
    )
    would_recommend = forms.TypedChoiceField(
        label=_("他の事業者にも勧めたいですか"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("はい")), ("no", _("いいえ"))],
    )
    comment = forms.CharField(label=_("ご意見・ご要望（任意）"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class FollowUpForm(forms.Form):
    problem_solved = forms.ChoiceField(label=_("相談した課題は解決しましたか"), choices=FollowUp.Solved.choices, widget=forms.RadioSelect)
    sales_trend = forms.ChoiceField(label=_("相談の前と比べて売上はどうなりましたか"), choices=FollowUp.Trend.choices, widget=forms.RadioSelect)
    annual_sales = forms.IntegerField(label=_("直近の年間売上高（万円、任意）"), min_value=0, max_value=100_000_000, required=False)
    employees = forms.IntegerField(label=_("現在の従業員数（任意）"), min_value=0, max_value=1_000_000, required=False)
    new_customers = forms.IntegerField(label=_("相談の後に増えた新規顧客の数（任意）"), min_value=0, max_value=10_000_000, required=False)
    comment = forms.CharField(label=_("ご意見・その後の状況（任意）"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
