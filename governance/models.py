"""Centre governance (seed 002's PDCA): policy, plans and targets, activities during the year, surveys,
outcome follow-ups, year-end hearing and rating; and the monthly aggregates the dashboards read."""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    return secrets.token_urlsafe(32)


class GovernanceYear(models.Model):
    """Every number the evaluation uses for one fiscal year (edited by HQ)."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度（西暦、4月始まり）"), unique=True)
    survey_sample_percent = models.PositiveSmallIntegerField(
        _("満足度調査の抽出率（％）"), default=30, validators=[MaxValueValidator(100)]
    )
    survey_window_days = models.PositiveSmallIntegerField(
        _("満足度調査の対象（相談日・従事証明日から何日以内）"), default=14, validators=[MinValueValidator(1)]
    )
    link_valid_days = models.PositiveSmallIntegerField(_("回答用リンクの有効期間（日）"), default=30, validators=[MinValueValidator(1)])
    sampling_seed = models.CharField(_("抽出の種（同じ種なら同じ抽出結果）"), max_length=40, default="yorozu")
    audit_sample_percent = models.PositiveSmallIntegerField(
        _("記録の抜き取り確認の抽出率（％）"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    followup_grace_days = models.PositiveSmallIntegerField(
        _("成果の追跡調査：送信予定日を過ぎても送る日数"), default=30, validators=[MinValueValidator(1)]
    )
    weight_indicators = models.PositiveSmallIntegerField(_("評価の重み：活動指標の実績"), default=40)
    weight_survey = models.PositiveSmallIntegerField(_("評価の重み：顧客満足度調査"), default=20)
    weight_org_evaluation = models.PositiveSmallIntegerField(_("評価の重み：支援機関による評価"), default=10)
    weight_hearing = models.PositiveSmallIntegerField(_("評価の重み：ヒアリング（チェックリスト）"), default=30)
    grade_s_min = models.PositiveSmallIntegerField(_("S評価の下限（点）"), default=90)
    grade_a_min = models.PositiveSmallIntegerField(_("A評価の下限（点）"), default=75)
    grade_b_min = models.PositiveSmallIntegerField(_("B評価の下限（点、これ未満は重点指導）"), default=60)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("評価の設定（年度）")
        verbose_name_plural = _("評価の設定（年度）")
        ordering = ["-fiscal_year"]

    def __str__(self):
        from core.dates import fiscal_year_label

        return f"{fiscal_year_label(self.fiscal_year)}（{self.fiscal_year}年度）"

    def weights(self):
        return {
            "indicators": self.weight_indicators, "survey": self.weight_survey,
            "org_evaluation": self.weight_org_evaluation, "hearing": self.weight_hearing,
        }

    def grade_for(self, score):
        if score is None:
            return ""
        if score >= self.grade_s_min:
            return "S"
        if score >= self.grade_a_min:
            return "A"
        if score >= self.grade_b_min:
            return "B"
        return "C"


class ActivityPolicy(models.Model):
    """The national activity policy (活動方針) HQ presents at the start of the year."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("表題"), max_length=120)
    body = models.TextField(_("活動方針"))
    published_at = models.DateTimeField(_("公表日時"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("公表者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("活動方針")
        verbose_name_plural = _("活動方針")
        ordering = ["-fiscal_year"]

    def __str__(self):
        return self.title


class CentrePlan(models.Model):
    """A centre's plan for the year: needs analysis, numeric targets, focus areas; locked once confirmed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("作成中")
        SUBMITTED = "submitted", _("提出済み（期初面談待ち）")
        CONFIRMED = "confirmed", _("確定（変更不可）")

    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("よろず支援拠点"), on_delete=models.PROTECT, related_name="plans"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    needs_analysis = models.TextField(_("地域の中小企業・支援の実状とニーズの分析"), blank=True)
    plan_text = models.TextField(_("事業計画"), blank=True)
    target_consultations = models.PositiveIntegerField(_("目標：相談対応件数"), default=0)
    target_visitors = models.PositiveIntegerField(_("目標：来訪相談者数"), default=0)
    target_solved = models.PositiveIntegerField(_("目標：課題解決件数"), default=0)
    target_network = models.PositiveIntegerField(_("目標：ネットワーク活動件数"), default=0)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    returned_reason = models.TextField(_("差戻しの理由"), blank=True)
    interview_on = models.DateField(_("期初面談の日"), null=True, blank=True)
    interview_notes = models.TextField(_("期初面談の記録"), blank=True)
    confirmed_at = models.DateTimeField(_("確定日時"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("確定者（経済産業局）"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("作成者"), on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("事業計画")
        verbose_name_plural = _("事業計画")
        ordering = ["-fiscal_year", "organisation_id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "fiscal_year"], name="unique_plan_per_centre_year")]
        indexes = [models.Index(fields=["fiscal_year", "status"])]

    def __str__(self):
        return f"{self.organisation} {self.fiscal_year}年度 事業計画"

    @property
    def is_locked(self):
        return self.status == self.Status.CONFIRMED

    def targets(self):
        return {
            "consultations": self.target_consultations, "visitors": self.target_visitors,
            "solved": self.target_solved, "network": self.target_network,
        }


class FocusArea(models.Model):
    """重点分野: a field the centre concentrates on, counted from the topics of its consultations."""

    plan = models.ForeignKey(CentrePlan, verbose_name=_("事業計画"), on_delete=models.CASCADE, related_name="focus_areas")
    name = models.CharField(_("重点分野"), max_length=60)
    specialties = models.ManyToManyField(
        "reference.Specialty", verbose_name=_("実績として数える相談分野"), related_name="focus_areas"
    )
    target = models.PositiveIntegerField(_("目標（相談件数）"))
    description = models.TextField(_("取組の内容"), blank=True)

    class Meta:
        verbose_name = _("重点分野")
        verbose_name_plural = _("重点分野")
        ordering = ["plan_id", "pk"]

    def __str__(self):
        return self.name


class HQVisit(models.Model):
    """A visit of HQ's experts to a centre, with advice and follow-ups (期中の助言・フォロー)."""

    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("よろず支援拠点"), on_delete=models.PROTECT, related_name="hq_visits"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    visited_on = models.DateField(_("訪問日"))
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("訪問者"), on_delete=models.PROTECT, related_name="+")
    sat_in_consultations = models.PositiveSmallIntegerField(_("同席した個別相談の数"), default=0)
    observations = models.TextField(_("現状の把握"))
    advice = models.TextField(_("助言"))
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("全国本部の拠点訪問")
        verbose_name_plural = _("全国本部の拠点訪問")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["fiscal_year", "organisation"])]

    def __str__(self):
        return f"{self.organisation} {self.visited_on:%Y-%m-%d}"


class VisitFollowUp(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("対応中")
        DONE = "done", _("対応済み")

    visit = models.ForeignKey(HQVisit, verbose_name=_("拠点訪問"), on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("フォロー事項"), max_length=200)
    due_on = models.DateField(_("期限"), null=True, blank=True)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OPEN)
    result = models.TextField(_("対応結果"), blank=True)
    done_at = models.DateTimeField(_("対応日時"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("対応者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("訪問後のフォロー事項")
        verbose_name_plural = _("訪問後のフォロー事項")
        ordering = ["visit_id", "pk"]

    def __str__(self):
        return self.action


class Training(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", _("全国研修")
        BLOCK = "block", _("ブロック研修")
        OJT = "ojt", _("OJT研修")
        COLLEGE = "college", _("中小企業大学校でのCO研修")

    kind = models.CharField(_("種別"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("研修名"), max_length=120)
    held_on = models.DateField(_("実施日"))
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    place = models.CharField(_("会場"), max_length=120, blank=True)
    bureau = models.ForeignKey(
        "reference.Bureau", verbose_name=_("ブロック（経済産業局）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登録者"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("研修")
        verbose_name_plural = _("研修")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.title}"


class TrainingAttendance(models.Model):
    training = models.ForeignKey(Training, verbose_name=_("研修"), on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受講者"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("所属拠点"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("記録者"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("研修の受講")
        verbose_name_plural = _("研修の受講")
        constraints = [models.UniqueConstraint(fields=["training", "user"], name="unique_training_attendee")]
        indexes = [models.Index(fields=["organisation", "training"])]

    def __str__(self):
        return f"{self.training}: {self.user}"


class NetworkActivity(models.Model):
    """ネットワーク活動: a visit or joint work with a local support organisation, logged by staff."""

    class PartnerKind(models.TextChoices):
        SHOKOKAI = "shokokai", _("商工会")
        CCI = "cci", _("商工会議所")
        SHOPPING_STREET = "shopping_street", _("商店街振興組合")
        TOURISM = "tourism", _("観光協会")
        FINANCIAL = "financial", _("金融機関")
        MUNICIPALITY = "municipality", _("自治体")
        PROFESSIONAL = "professional", _("士業団体")
        OTHER = "other", _("その他")

    class Purpose(models.TextChoices):
        VISIT = "visit", _("訪問・意見交換")
        MEETING = "meeting", _("連携会議")
        JOINT_CONSULTATION = "joint", _("出張相談会・合同相談")
        PR = "pr", _("拠点のPR依頼")
        SEMINAR = "seminar", _("セミナー共催")

    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("よろず支援拠点"), on_delete=models.PROTECT, related_name="network_activities"
    )
    held_on = models.DateField(_("実施日"))
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("担当者"), on_delete=models.PROTECT, related_name="+")
    partner_kind = models.CharField(_("相手先の種別"), max_length=20, choices=PartnerKind.choices)
    partner_name = models.CharField(_("相手先"), max_length=100)
    purpose = models.CharField(_("内容"), max_length=10, choices=Purpose.choices)
    note = models.TextField(_("記録"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("記録者"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("ネットワーク活動")
        verbose_name_plural = _("ネットワーク活動")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "held_on"])]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.partner_name}"


class StaffQualification(models.Model):
    """A qualification a chief coordinator or coordinator reports holding (自己申告、複数回答あり)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("職員"), on_delete=models.CASCADE, related_name="staff_qualifications"
    )
    qualification = models.ForeignKey("reference.Qualification", verbose_name=_("資格"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("職員の保有資格（自己申告）")
        verbose_name_plural = _("職員の保有資格（自己申告）")
        constraints = [models.UniqueConstraint(fields=["user", "qualification"], name="unique_staff_qualification")]

    def __str__(self):
        return f"{self.user}: {self.qualification}"


class SourceKind(models.TextChoices):
    CONSULTATION = "consultation", _("経営相談")
    DISPATCH = "dispatch", _("専門家派遣")


class Survey(models.Model):
    """One closed consultation or certified dispatch considered for the satisfaction survey.

    A row exists for every considered record, sampled or not, so the periodic command never
    considers (or mails) the same record twice."""

    source_kind = models.CharField(_("対象"), max_length=12, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField(_("対象の番号"))
    organisation = models.ForeignKey("directory.Organisation", verbose_name=_("よろず支援拠点"), on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey("companies.Company", verbose_name=_("事業者"), on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    source_date = models.DateField(_("相談日・従事証明日"))
    sampled = models.BooleanField(_("抽出された"), default=False)
    token_hash = models.CharField(_("リンクのハッシュ（SHA-256）"), max_length=64, unique=True, null=True, blank=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)
    expires_at = models.DateTimeField(_("回答期限"), null=True, blank=True)
    responded_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("総合満足度（1〜5）"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    usefulness = models.PositiveSmallIntegerField(
        _("役に立った度合い（1〜5）"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    would_recommend = models.BooleanField(_("他の事業者に勧めたい"), null=True, blank=True)
    comment = models.TextField(_("ご意見"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("顧客満足度調査")
        verbose_name_plural = _("顧客満足度調査")
        constraints = [models.UniqueConstraint(fields=["source_kind", "source_id"], name="unique_survey_per_source")]
        indexes = [models.Index(fields=["organisation", "source_date"])]

    def __str__(self):
        return f"{self.get_source_kind_display()}#{self.source_id}"


FOLLOWUP_MONTHS = (3, 6, 12)


class FollowUp(models.Model):
    """An outcome check-in 3, 6 or 12 months after a solved consultation or a certified dispatch."""

    class Solved(models.TextChoices):
        YES = "yes", _("解決した")
        PARTLY = "partly", _("一部解決した")
        NO = "no", _("解決していない")

    class Trend(models.TextChoices):
        UP = "up", _("増えた")
        FLAT = "flat", _("変わらない")
        DOWN = "down", _("減った")

    source_kind = models.CharField(_("対象"), max_length=12, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField(_("対象の番号"))
    months = models.PositiveSmallIntegerField(_("経過月数"))
    organisation = models.ForeignKey("directory.Organisation", verbose_name=_("よろず支援拠点"), on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey("companies.Company", verbose_name=_("事業者"), on_delete=models.PROTECT, related_name="+")
    base_date = models.DateField(_("起点日（解決・従事証明の日）"))
    fiscal_year = models.PositiveSmallIntegerField(_("起点日の年度"))
    token_hash = models.CharField(_("リンクのハッシュ（SHA-256）"), max_length=64, unique=True)
    sent_at = models.DateTimeField(_("送信日時"))
    expires_at = models.DateTimeField(_("回答期限"))
    responded_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    problem_solved = models.CharField(_("課題は解決したか"), max_length=10, choices=Solved.choices, blank=True)
    sales_trend = models.CharField(_("売上の変化"), max_length=10, choices=Trend.choices, blank=True)
    annual_sales = models.PositiveBigIntegerField(_("直近の年間売上高（万円）"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("従業員数"), null=True, blank=True)
    new_customers = models.PositiveIntegerField(_("新規顧客の数（起点日以降）"), null=True, blank=True)
    comment = models.TextField(_("ご意見"), blank=True)

    class Meta:
        verbose_name = _("成果の追跡調査")
        verbose_name_plural = _("成果の追跡調査")
        constraints = [
            models.UniqueConstraint(fields=["source_kind", "source_id", "months"], name="unique_followup_per_milestone")
        ]
        indexes = [models.Index(fields=["fiscal_year", "organisation"])]

    def __str__(self):
        return f"{self.get_source_kind_display()}#{self.source_id} {self.months}か月後"


class ChecklistItem(models.Model):
    """One item of the year-end hearing's checklist (相談対応・連携促進 …), scored by HQ."""

    class Category(models.TextChoices):
        CONSULTATION = "consultation", _("相談対応")
        COOPERATION = "cooperation", _("連携促進")
        MANAGEMENT = "management", _("拠点運営")
        OWN = "own", _("独自の取組")

    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    category = models.CharField(_("区分"), max_length=15, choices=Category.choices)
    text = models.CharField(_("確認項目"), max_length=200)
    max_score = models.PositiveSmallIntegerField(_("配点"), default=5, validators=[MinValueValidator(1)])
    sort_order = models.PositiveSmallIntegerField(_("並び順"), default=0)

    class Meta:
        verbose_name = _("ヒアリングのチェックリスト項目")
        verbose_name_plural = _("ヒアリングのチェックリスト項目")
        ordering = ["fiscal_year", "sort_order", "pk"]

    def __str__(self):
        return self.text


class Hearing(models.Model):
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("よろず支援拠点"), on_delete=models.PROTECT, related_name="hearings"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    held_on = models.DateField(_("ヒアリング日"))
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("聴取者"), on_delete=models.PROTECT, related_name="+")
    own_initiatives = models.TextField(_("独自の取組（数字以外）"), blank=True)
    notes = models.TextField(_("所見"), blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("期末ヒアリング")
        verbose_name_plural = _("期末ヒアリング")
        constraints = [models.UniqueConstraint(fields=["organisation", "fiscal_year"], name="unique_hearing_per_centre_year")]

    def __str__(self):
        return f"{self.organisation} {self.fiscal_year}年度 ヒアリング"


class HearingScore(models.Model):
    hearing = models.ForeignKey(Hearing, verbose_name=_("ヒアリング"), on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("確認項目"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("点数"))
    comment = models.CharField(_("コメント"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ヒアリングの採点")
        verbose_name_plural = _("ヒアリングの採点")
        constraints = [models.UniqueConstraint(fields=["hearing", "item"], name="unique_hearing_item")]

    def __str__(self):
        return f"{self.item}: {self.score}"


class OrgEvaluation(models.Model):
    """A local support organisation's evaluation of its prefecture's centre (支援機関による評価)."""

    centre = models.ForeignKey(
        "directory.Organisation", verbose_name=_("評価されるよろず支援拠点"), on_delete=models.PROTECT, related_name="evaluations_received"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    evaluator = models.ForeignKey(
        "directory.Organisation", verbose_name=_("評価した支援機関"), on_delete=models.PROTECT, related_name="evaluations_given"
    )
    score = models.PositiveSmallIntegerField(_("連携の評価（1〜5）"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("コメント"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("入力者"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("入力日時"), auto_now=True)

    class Meta:
        verbose_name = _("支援機関による評価")
        verbose_name_plural = _("支援機関による評価")
        constraints = [
            models.UniqueConstraint(fields=["centre", "fiscal_year", "evaluator"], name="unique_evaluation_per_org_year")
        ]

    def __str__(self):
        return f"{self.evaluator} → {self.centre}: {self.score}"


class Rating(models.Model):
    """The centre's year-end rating: the component scores as they were when HQ computed it."""

    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("よろず支援拠点"), on_delete=models.PROTECT, related_name="ratings"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    indicator_score = models.FloatField(_("活動指標の点（0〜100）"), null=True, blank=True)
    survey_score = models.FloatField(_("満足度の点（0〜100）"), null=True, blank=True)
    org_evaluation_score = models.FloatField(_("支援機関評価の点（0〜100）"), null=True, blank=True)
    hearing_score = models.FloatField(_("ヒアリングの点（0〜100）"), null=True, blank=True)
    overall = models.FloatField(_("総合点（0〜100）"), null=True, blank=True)
    grade = models.CharField(_("評価"), max_length=1, blank=True)
    flagged = models.BooleanField(_("重点指導の対象"), default=False)
    computed_at = models.DateTimeField(_("算定日時"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("算定者"), on_delete=models.PROTECT, related_name="+")
    budget_change_percent = models.DecimalField(_("次年度予算への反映（増減率％）"), max_digits=5, decimal_places=1, null=True, blank=True)
    budget_amount = models.PositiveBigIntegerField(_("次年度予算額（千円）"), null=True, blank=True)
    budget_note = models.TextField(_("予算反映の説明"), blank=True)
    budget_recorded_at = models.DateTimeField(_("予算反映の記録日時"), null=True, blank=True)
    guidance_note = models.TextField(_("重点指導の内容"), blank=True)

    class Meta:
        verbose_name = _("拠点の評価")
        verbose_name_plural = _("拠点の評価")
        constraints = [models.UniqueConstraint(fields=["organisation", "fiscal_year"], name="unique_rating_per_centre_year")]
        indexes = [models.Index(fields=["fiscal_year", "flagged"])]

    def __str__(self):
        return f"{self.organisation} {self.fiscal_year}年度 {self.grade}"


class AuditSample(models.Model):
    """A random sample of case records for the quality check, stratified by centre, reproducible by its seed."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    percent = models.PositiveSmallIntegerField(_("抽出率（％）"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    seed = models.CharField(_("抽出の種"), max_length=40)
    include_consultations = models.BooleanField(_("経営相談を含める"), default=True)
    include_dispatches = models.BooleanField(_("専門家派遣を含める"), default=True)
    population = models.PositiveIntegerField(_("母集団の件数"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("作成者"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("記録の抜き取り確認")
        verbose_name_plural = _("記録の抜き取り確認")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.fiscal_year}年度 {self.percent}% 抽出（種 {self.seed}）"


class AuditSampleItem(models.Model):
    class Result(models.TextChoices):
        PENDING = "", _("未確認")
        OK = "ok", _("問題なし")
        ISSUE = "issue", _("要改善")

    sample = models.ForeignKey(AuditSample, verbose_name=_("抜き取り確認"), on_delete=models.CASCADE, related_name="items")
    organisation = models.ForeignKey("directory.Organisation", verbose_name=_("よろず支援拠点"), on_delete=models.PROTECT, related_name="+")
    source_kind = models.CharField(_("対象"), max_length=12, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField(_("対象の番号"))
    result = models.CharField(_("確認結果"), max_length=10, choices=Result.choices, blank=True, default="")
    note = models.TextField(_("確認メモ"), blank=True)
    checked_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("確認者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("抜き取り確認の対象")
        verbose_name_plural = _("抜き取り確認の対象")
        ordering = ["sample_id", "organisation_id", "source_kind", "source_id"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "source_kind", "source_id"], name="unique_audit_item")
        ]

    def __str__(self):
        return f"{self.get_source_kind_display()}#{self.source_id}"


# ---- aggregates (written only by governance/aggregates.py) ------------------------------------------


class ActivityMonth(models.Model):
    """One centre's activity in one month, computed from the records (never typed in)."""

    organisation = models.ForeignKey("directory.Organisation", verbose_name=_("よろず支援拠点"), on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    month = models.DateField(_("月（1日）"))
    consultations = models.PositiveIntegerField(_("相談対応件数"), default=0)
    in_person = models.PositiveIntegerField(_("対面相談件数"), default=0)
    new_visitors = models.PositiveIntegerField(_("来訪相談者数（年度内の初来訪）"), default=0)
    solved_consultations = models.PositiveIntegerField(_("その場で解決した相談"), default=0)
    certified_dispatches = models.PositiveIntegerField(_("従事証明済みの派遣"), default=0)
    network_activities = models.PositiveIntegerField(_("ネットワーク活動件数"), default=0)
    surveys_sent = models.PositiveIntegerField(_("満足度調査の送信数"), default=0)
    survey_responses = models.PositiveIntegerField(_("満足度調査の回答数"), default=0)
    satisfaction_sum = models.PositiveIntegerField(_("総合満足度の合計"), default=0)
    satisfied = models.PositiveIntegerField(_("満足（4以上）の回答数"), default=0)
    refreshed_at = models.DateTimeField(_("集計日時"), auto_now=True)

    class Meta:
        verbose_name = _("月次の活動実績（集計）")
        verbose_name_plural = _("月次の活動実績（集計）")
        constraints = [models.UniqueConstraint(fields=["organisation", "month"], name="unique_activity_month")]
        indexes = [models.Index(fields=["fiscal_year", "organisation"])]

    @property
    def solved(self):
        return self.solved_consultations + self.certified_dispatches


class FocusMonth(models.Model):
    focus_area = models.ForeignKey(FocusArea, verbose_name=_("重点分野"), on_delete=models.CASCADE, related_name="months")
    month = models.DateField(_("月（1日）"))
    consultations = models.PositiveIntegerField(_("相談件数"), default=0)

    class Meta:
        verbose_name = _("重点分野の月次実績（集計）")
        verbose_name_plural = _("重点分野の月次実績（集計）")
        constraints = [models.UniqueConstraint(fields=["focus_area", "month"], name="unique_focus_month")]


class AggregateState(models.Model):
    """Where the incremental refresh stopped reading the other apps' records (one row)."""

    consultations_seen_until = models.DateTimeField(_("相談の更新をここまで反映"), null=True, blank=True)
    events_seen_until = models.DateTimeField(_("派遣の経過をここまで反映"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("最終集計日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("集計の状態")
        verbose_name_plural = _("集計の状態")
