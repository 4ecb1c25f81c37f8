from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import RoleGrant, User
from accounts.roles import Role
from core.dates import fiscal_year, fiscal_year_label

from . import access, actions, charts, dashboard, exports, sampling, scoring
from .forms import (
    AttendanceForm, AuditCheckForm, AuditSampleForm, BudgetForm, ConfirmPlanForm, EvaluationForm, FocusAreaForm,
    FollowUpDoneForm, FollowUpForm, HearingForm, NetworkActivityForm, PlanForm, PolicyForm, QualificationsForm,
    ReturnPlanForm, SettingsForm, SurveyForm, TrainingForm, VisitForm,
)
from .models import (
    ActivityPolicy, AuditSample, AuditSampleItem, CentrePlan, ChecklistItem, FocusArea, Hearing, NetworkActivity,
    OrgEvaluation, Rating, StaffQualification, Training, VisitFollowUp,
)
from .years import governance_year_for


def _year(request):
    try:
        fy = int(request.GET.get("year") or fiscal_year())
    except ValueError:
        raise Http404 from None
    if not 2000 <= fy <= 2100:
        raise Http404
    return fy


def _valid_fy(fy):
    if not 2000 <= fy <= 2100:
        raise Http404
    return fy


def _years_around(fy):
    current = fiscal_year()
    return [(y, fiscal_year_label(y)) for y in range(min(fy, current) - 2, max(fy, current) + 2)]


def _refused(request, error):
    for reason in error.reasons:
        messages.error(request, reason)


# ---- dashboards -------------------------------------------------------------------------------------

@login_required
def index(request):
    home = access.home_for(request.user)
    if home is None:
        raise Http404
    if home[0] == "nation":
        return redirect("governance:nation")
    if home[0] == "region":
        return redirect("governance:region", code=home[1])
    return redirect("governance:centre", pk=home[1])


def _render_dashboard(request, data, fy, scope, title, export_base, extra=None):
    context = {
        "data": data, "fy": fy, "fy_label": fiscal_year_label(fy), "years": _years_around(fy), "scope": scope,
        "title": title, "export_base": export_base, "tables": data["tables"],
        "monthly_chart": charts.cached("monthly", fy, data["month_rows"]),
        "cumulative_chart": charts.cached("cumulative", fy, data["month_rows"], data["targets"], timezone.localdate().replace(day=1)),
        "is_hq": access.is_hq(request.user), **(extra or {}),
    }
    if scope != "centre":
        context["achievement_chart"] = charts.cached(
            "achievement", data["chart_rows"], _("拠点別の達成率（相談対応件数・課題解決件数）"))
    return render(request, "governance/dashboard.html", context)


@login_required
def nation(request):
    access.require_national(request.user)
    fy = _year(request)
    data = dashboard.nation_dashboard(fy, timezone.localdate())
    return _render_dashboard(request, data, fy, "nation", _("全国のよろず支援拠点"), reverse("governance:nation"))


@login_required
def region(request, code):
    bureau = access.get_bureau_for_user(request.user, code)
    fy = _year(request)
    data = dashboard.region_dashboard(bureau, fy, timezone.localdate())
    return _render_dashboard(request, data, fy, "region", bureau.name, reverse("governance:region", args=[code]))


@login_required
def centre(request, pk):
    org = access.get_centre_for_user(request.user, pk)
    fy = _year(request)
    data = dashboard.centre_dashboard(org, fy, timezone.localdate())
    return _render_dashboard(request, data, fy, "centre", org.name, reverse("governance:centre", args=[pk]), {
        "centre": org, "is_chief": access.is_chief_of(request.user, org.pk),
        "is_staff": access.is_staff_of(request.user, org.pk),
        "follow_up_form": FollowUpDoneForm(),
    })


def _export(request, data, key, fmt, basename):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    table = dashboard.find_table(data, key)
    if table is None:
        raise Http404
    return exports.response(table, fmt, basename)


@login_required
def nation_export(request, key, fmt):
    access.require_national(request.user)
    fy = _year(request)
    return _export(request, dashboard.nation_dashboard(fy, timezone.localdate()), key, fmt, f"nation-{fy}")


@login_required
def region_export(request, code, key, fmt):
    bureau = access.get_bureau_for_user(request.user, code)
    fy = _year(request)
    return _export(request, dashboard.region_dashboard(bureau, fy, timezone.localdate()), key, fmt, f"{code}-{fy}")


@login_required
def centre_export(request, pk, key, fmt):
    org = access.get_centre_for_user(request.user, pk)
    fy = _year(request)
    return _export(request, dashboard.centre_dashboard(org, fy, timezone.localdate()), key, fmt, f"centre{pk}-{fy}")


# ---- policy and settings (HQ) ----------------------------------------------------------------------

def _require_governance_user(user):
    if not (access.is_national(user) or user.bureau_codes() or access.centres_for(user).exists()):
        raise Http404


@login_required
def policy(request, fy):
    fy = _valid_fy(fy)
    _require_governance_user(request.user)
    current = ActivityPolicy.objects.filter(fiscal_year=fy).first()
    can_edit = access.is_hq(request.user)
    if current and current.published_at is None and not can_edit:
        current = None
    form = None
    if can_edit:
        initial = {"title": current.title, "body": current.body} if current else {
            "title": _("%(year)s よろず支援拠点 活動方針") % {"year": fiscal_year_label(fy)}}
        form = PolicyForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                actions.save_policy(request.user, fy, form.cleaned_data["title"], form.cleaned_data["body"],
                                    publish=form.cleaned_data["publish"], request=request)
            except actions.Refused as error:
                _refused(request, error)
            else:
                messages.success(request, _("活動方針を保存しました。"))
                return redirect("governance:policy", fy=fy)
    elif request.method == "POST":
        raise Http404
    return render(request, "governance/policy.html", {"policy": current, "form": form, "fy": fy, "fy_label": fiscal_year_label(fy)})


@login_required
def settings_view(request, fy):
    fy = _valid_fy(fy)
    access.require_hq(request.user)
    year = governance_year_for(fy)
    form = SettingsForm(request.POST or None, initial={name: getattr(year, name) for name in actions.SETTINGS_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_settings(request.user, fy, form.cleaned_data, request=request)
        except actions.Refused as error:
            _refused(request, error)
        else:
            messages.success(request, _("%(year)s の評価の設定を保存しました。") % {"year": year})
            return redirect("governance:settings", fy=fy)
    return render(request, "governance/form.html", {
        "title": _("%(year)s の評価の設定") % {"year": year}, "form": form, "submit": _("保存する"),
        "intro": _("満足度調査の抽出率、追跡調査の猶予、評価の重みと評価の区分はここで年度ごとに定めます。"),
    })


# ---- the centre's plan ------------------------------------------------------------------------------

@login_required
def plan(request, pk, fy):
    org = access.get_centre_for_user(request.user, pk)
    fy = _valid_fy(fy)
    plan = CentrePlan.objects.filter(organisation=org, fiscal_year=fy).select_related("confirmed_by").first()
    is_chief = access.is_chief_of(request.user, org.pk)
    is_bureau = access.is_bureau_of(request.user, org) or request.user.has_role(Role.ADMIN)
    editable = is_chief and not (plan and plan.is_locked)
    form = None
    if editable:
        initial = {name: getattr(plan, name) for name in actions.PLAN_FIELDS} if plan else {}
        form = PlanForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                actions.save_plan(request.user, org, fy, form.cleaned_data, request=request)
            except actions.Refused as error:
                _refused(request, error)
            else:
                messages.success(request, _("事業計画を保存しました。"))
                return redirect("governance:plan", pk=pk, fy=fy)
    elif request.method == "POST":
        if plan and plan.is_locked and is_chief:
            messages.error(request, _("この事業計画は期初面談を経て確定しているため、変更できません。"))
            return redirect("governance:plan", pk=pk, fy=fy)
        raise Http404
    focus = list(plan.focus_areas.prefetch_related("specialties")) if plan else []
    return render(request, "governance/plan.html", {
        "centre": org, "plan": plan, "fy": fy, "fy_label": fiscal_year_label(fy), "form": form, "focus": focus,
        "focus_form": FocusAreaForm() if editable and plan else None, "is_chief": is_chief, "is_bureau": is_bureau,
        "confirm_form": ConfirmPlanForm(initial={"interview_on": timezone.localdate()}), "return_form": ReturnPlanForm(),
        "refusals": actions.plan_refusals(plan) if plan and editable else [],
        "policy": ActivityPolicy.objects.filter(fiscal_year=fy, published_at__isnull=False).first(),
    })


def _plan_for_post(request, pk, fy):
    org = access.get_centre_for_user(request.user, pk)
    plan = CentrePlan.objects.filter(organisation=org, fiscal_year=_valid_fy(fy)).first()
    if plan is None:
        raise Http404
    return plan


@login_required
@require_POST
def focus_add(request, pk, fy):
    plan = _plan_for_post(request, pk, fy)
    form = FocusAreaForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("governance:plan", pk=pk, fy=fy)
    data = form.cleaned_data
    try:
        actions.add_focus_area(request.user, plan.pk, data["name"], list(data["specialties"]), data["target"],
                               data["description"], request=request)
        messages.success(request, _("重点分野を追加しました。"))
    except actions.Refused as error:
        _refused(request, error)
    return redirect("governance:plan", pk=pk, fy=fy)


@login_required
@require_POST
def focus_remove(request, pk, fy, focus_id):
    plan = _plan_for_post(request, pk, fy)
    if not FocusArea.objects.filter(pk=focus_id, plan=plan).exists():
        raise Http404
    try:
        actions.remove_focus_area(request.user, focus_id, request=request)
        messages.success(request, _("重点分野を削除しました。"))
    except actions.Refused as error:
        _refused(request, error)
    return redirect("governance:plan", pk=pk, fy=fy)


@login_required
@require_POST
def plan_submit(request, pk, fy):
    plan = _plan_for_post(request, pk, fy)
    try:
        actions.submit_plan(request.user, plan.pk, request=request)
        messages.success(request, _("事業計画を提出しました。経済産業局との期初面談で確定します。"))
    except actions.Refused as error:
        _refused(request, error)
    return redirect("governance:plan", pk=pk, fy=fy)


@login_required
@require_POST
def plan_confirm(request, pk, fy):
    plan = _plan_for_post(request, pk, fy)
    form = ConfirmPlanForm(request.POST)
    if form.is_valid():
        try:
            actions.confirm_plan(request.user, plan.pk, form.cleaned_data["interview_on"], form.cleaned_data["interview_notes"],
                                 request=request)
            messages.success(request, _("期初面談を記録し、事業計画を確定しました。"))
        except actions.Refused as error:
            _refused(request, error)
    else:
        messages.error(request, _("期初面談の日と記録を入力してください。"))
    return redirect("governance:plan", pk=pk, fy=fy)


@login_required
@require_POST
def plan_return(request, pk, fy):
    plan = _plan_for_post(request, pk, fy)
    form = ReturnPlanForm(request.POST)
    if form.is_valid():
        try:
            actions.return_plan(request.user, plan.pk, form.cleaned_data["reason"], request=request)
            messages.success(request, _("事業計画を差し戻しました。"))
        except actions.Refused as error:
            _refused(request, error)
    else:
        messages.error(request, _("差戻しの理由を入力してください。"))
    return redirect("governance:plan", pk=pk, fy=fy)


# ---- during the year --------------------------------------------------------------------------------

@login_required
def network(request, pk):
    org = access.get_centre_for_user(request.user, pk)
    can_log = access.is_staff_of(request.user, org.pk)
    form = NetworkActivityForm(request.POST or None, initial={"held_on": timezone.localdate()}) if can_log else None
    if request.method == "POST":
        if not can_log:
            raise Http404
        if form.is_valid():
            try:
                actions.log_network_activity(request.user, org, form.cleaned_data, request=request)
            except actions.Refused as error:
                _refused(request, error)
            else:
                messages.success(request, _("ネットワーク活動を記録しました。"))
                return redirect("governance:network", pk=pk)
    activities = NetworkActivity.objects.filter(organisation=org).select_related("staff").order_by("-held_on", "-pk")[:100]
    return render(request, "governance/network.html", {"centre": org, "form": form, "activities": activities})


@login_required
def visit_new(request, pk):
    org = access.get_centre_for_user(request.user, pk)
    access.require_hq(request.user)
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_visit(request.user, org, form.cleaned_data, request=request)
        except actions.Refused as error:
            _refused(request, error)
        else:
            messages.success(request, _("拠点訪問を記録し、拠点に通知しました。"))
            return redirect("governance:centre", pk=pk)
    return render(request, "governance/form.html", {
        "title": _("%(centre)s への訪問を記録する") % {"centre": org.name}, "form": form, "submit": _("記録する"),
        "intro": _("個別相談への同席、現状の把握と助言、次回までのフォロー事項を記録します。拠点のチーフコーディネーターに通知されます。"),
    })


@login_required
@require_POST
def follow_up_done(request, pk):
    try:
        item = VisitFollowUp.objects.select_related("visit").get(pk=pk)
    except VisitFollowUp.DoesNotExist:
        raise Http404 from None
    centre_org = access.get_centre_for_user(request.user, item.visit.organisation_id)
    form = FollowUpDoneForm(request.POST)
    if form.is_valid():
        try:
            actions.complete_follow_up(request.user, item.pk, form.cleaned_data["result"], request=request)
            messages.success(request, _("フォロー事項を対応済みにしました。"))
        except actions.Refused as error:
            _refused(request, error)
    else:
        messages.error(request, _("対応結果を入力してください。"))
    return redirect(reverse("governance:centre", args=[centre_org.pk]) + f"?year={item.visit.fiscal_year}")


@login_required
def trainings(request):
    _require_governance_user(request.user)
    form = TrainingForm(request.POST or None) if access.is_hq(request.user) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                training = actions.create_training(request.user, form.cleaned_data, request=request)
            except actions.Refused as error:
                _refused(request, error)
            else:
                messages.success(request, _("研修を登録しました。"))
                return redirect("governance:training", pk=training.pk)
    items = Training.objects.select_related("bureau").order_by("-held_on", "-pk")[:100]
    return render(request, "governance/trainings.html", {"trainings": items, "form": form})


def _centre_staff(org):
    return list(User.objects.filter(
        role_grants__organisation=org, role_grants__role__in=[Role.CHIEF, Role.COORDINATOR],
        role_grants__status=RoleGrant.Status.APPROVED,
    ).distinct().order_by("name"))


@login_required
def training(request, pk):
    _require_governance_user(request.user)
    try:
        item = Training.objects.select_related("bureau").get(pk=pk)
    except Training.DoesNotExist:
        raise Http404 from None
    own = list(access.centres_for(request.user).filter(pk__in=request.user.chief_organisation_ids()))
    form = None
    if own:
        org = own[0]
        form = AttendanceForm(request.POST or None, staff=_centre_staff(org))
        if request.method == "POST" and form.is_valid():
            try:
                n = actions.record_attendance(request.user, item.pk, org, form.cleaned_data["users"], request=request)
            except actions.Refused as error:
                _refused(request, error)
            else:
                messages.success(request, _("受講を記録しました（%(n)s名）。") % {"n": n})
                return redirect("governance:training", pk=pk)
    elif request.method == "POST":
        raise Http404
    attendances = item.attendances.select_related("user", "organisation").order_by("organisation_id", "user__name")
    if not access.is_national(request.user):
        attendances = attendances.filter(organisation__in=access.centres_for(request.user))
    return render(request, "governance/training.html", {"training": item, "attendances": attendances, "form": form})


@login_required
def qualifications(request):
    if not request.user.has_role(Role.CHIEF, Role.COORDINATOR):
        raise Http404
    current = list(StaffQualification.objects.filter(user=request.user).values_list("qualification_id", flat=True))
    form = QualificationsForm(request.POST or None, initial={"qualifications": current})
    if request.method == "POST" and form.is_valid():
        actions.set_staff_qualifications(request.user, list(form.cleaned_data["qualifications"]), request=request)
        messages.success(request, _("保有資格を保存しました。"))
        return redirect("governance:qualifications")
    return render(request, "governance/form.html", {
        "title": _("保有資格（自己申告）"), "form": form, "submit": _("保存する"),
        "intro": _("チーフコーディネーター・コーディネーターの保有資格の集計表（拠点・地域・全国）に使います。複数選択できます。"),
    })


# ---- year end ---------------------------------------------------------------------------------------

@login_required
def hearing(request, pk, fy):
    org = access.get_centre_for_user(request.user, pk)
    access.require_hq(request.user)
    fy = _valid_fy(fy)
    governance_year_for(fy)
    items = list(ChecklistItem.objects.filter(fiscal_year=fy))
    current = Hearing.objects.filter(organisation=org, fiscal_year=fy).prefetch_related("scores").first()
    initial = {"held_on": timezone.localdate()}
    if current:
        initial.update(held_on=current.held_on, own_initiatives=current.own_initiatives, notes=current.notes)
        initial.update({f"score_{s.item_id}": s.score for s in current.scores.all()})
    form = HearingForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_hearing(request.user, org, fy, form.cleaned_data, form.scores(), request=request)
        except actions.Refused as error:
            _refused(request, error)
        else:
            messages.success(request, _("ヒアリングの結果を保存しました。"))
            return redirect("governance:rating", pk=pk, fy=fy)
    return render(request, "governance/form.html", {
        "title": _("%(centre)s %(year)s 期末ヒアリング") % {"centre": org.name, "year": fiscal_year_label(fy)},
        "form": form, "submit": _("保存する"),
        "intro": _("活動指標の数字以外の独自の取組を中心に聴取し、相談対応・連携促進等のチェックリストで採点します。"),
    })


@login_required
def rating(request, pk, fy):
    org = access.get_centre_for_user(request.user, pk)
    fy = _valid_fy(fy)
    current = Rating.objects.filter(organisation=org, fiscal_year=fy).select_related("computed_by").first()
    is_hq = access.is_hq(request.user)
    budget_form = None
    if is_hq and current:
        budget_form = BudgetForm(request.POST or None, initial={
            "budget_change_percent": current.budget_change_percent, "budget_amount": current.budget_amount,
            "budget_note": current.budget_note, "guidance_note": current.guidance_note,
        })
    if request.method == "POST":
        if budget_form is None:
            raise Http404
        if budget_form.is_valid():
            d = budget_form.cleaned_data
            try:
                actions.record_budget_effect(request.user, current.pk, d["budget_change_percent"], d["budget_amount"],
                                             d["budget_note"], d["guidance_note"], request=request)
            except actions.Refused as error:
                _refused(request, error)
            else:
                messages.success(request, _("次年度予算への反映を記録しました。"))
                return redirect("governance:rating", pk=pk, fy=fy)
    year = governance_year_for(fy)
    preview = scoring.centre_scores(org.pk, fy) if is_hq else None
    evaluations = OrgEvaluation.objects.filter(centre=org, fiscal_year=fy).select_related("evaluator").order_by("evaluator__name")
    return render(request, "governance/rating.html", {
        "centre": org, "fy": fy, "fy_label": fiscal_year_label(fy), "rating": current, "year": year, "is_hq": is_hq,
        "budget_form": budget_form, "preview": preview, "evaluations": evaluations,
        "preview_overall": scoring.combine(preview, year.weights()) if preview else None,
    })


@login_required
@require_POST
def rating_compute(request, pk, fy):
    org = access.get_centre_for_user(request.user, pk)
    access.require_hq(request.user)
    rating = actions.compute_rating(request.user, org, _valid_fy(fy), request=request)
    messages.success(request, _("評価を算定しました（総合点 %(score)s、%(grade)s）。") % {
        "score": rating.overall if rating.overall is not None else "—", "grade": rating.grade or "—"})
    return redirect("governance:rating", pk=pk, fy=fy)


@login_required
def evaluation(request):
    evaluators = list(access.evaluator_organisations(request.user).select_related("prefecture"))
    if not evaluators:
        raise Http404
    evaluator = evaluators[0]
    fy = fiscal_year()
    current = OrgEvaluation.objects.filter(evaluator=evaluator, fiscal_year=fy).select_related("centre").first()
    centre_org = access.CENTRE
    form = EvaluationForm(request.POST or None, initial={"score": current.score, "comment": current.comment} if current else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_org_evaluation(request.user, evaluator, fy, form.cleaned_data["score"], form.cleaned_data["comment"],
                                          request=request)
        except actions.Refused as error:
            _refused(request, error)
        else:
            messages.success(request, _("評価を送信しました。ご協力ありがとうございました。"))
            return redirect("governance:evaluation")
    from directory.models import Organisation

    target = Organisation.objects.filter(kind=centre_org, prefecture_id=evaluator.prefecture_id).order_by("pk").first()
    return render(request, "governance/form.html", {
        "title": _("よろず支援拠点の評価（%(year)s）") % {"year": fiscal_year_label(fy)}, "form": form, "submit": _("送信する"),
        "intro": _("%(org)s として、%(centre)s との連携を評価してください。年度末の拠点評価に使われます。") % {
            "org": evaluator.name, "centre": target.name if target else _("（拠点が登録されていません）")},
    })


# ---- audit sampling ---------------------------------------------------------------------------------

@login_required
def audit_list(request):
    access.require_national(request.user)
    fy = fiscal_year()
    year = governance_year_for(fy)
    form = AuditSampleForm(request.POST or None, initial={"fiscal_year": fy, "percent": year.audit_sample_percent,
                                                          "seed": f"{year.sampling_seed}-{timezone.localdate():%Y%m%d}"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            sample = sampling.draw_audit_sample(request.user, d["fiscal_year"], d["percent"], d["seed"],
                                                d["include_consultations"], d["include_dispatches"], request=request)
        except actions.Refused as error:
            _refused(request, error)
        else:
            messages.success(request, _("抜き取り確認の対象を抽出しました。"))
            return redirect("governance:audit", pk=sample.pk)
    samples = AuditSample.objects.select_related("created_by")[:50]
    return render(request, "governance/audit_list.html", {"form": form, "samples": samples})


def _audit_table(sample):
    items = sample.items.select_related("organisation", "checked_by").order_by("organisation__prefecture_id", "source_kind", "source_id")
    rows = [[i.organisation.name, i.get_source_kind_display(), i.source_id, i.get_result_display(), i.note,
             i.checked_by.name if i.checked_by else "", timezone.localtime(i.checked_at).strftime("%Y-%m-%d %H:%M") if i.checked_at else ""]
            for i in items]
    return dashboard.Table("audit", _("抜き取り確認の対象"), [_("拠点"), _("対象"), _("番号"), _("確認結果"), _("確認メモ"), _("確認者"), _("確認日時")], rows)


@login_required
def audit(request, pk):
    access.require_national(request.user)
    try:
        sample = AuditSample.objects.select_related("created_by").get(pk=pk)
    except AuditSample.DoesNotExist:
        raise Http404 from None
    items = list(sample.items.select_related("organisation").order_by("organisation__prefecture_id", "source_kind", "source_id"))
    return render(request, "governance/audit.html", {"sample": sample, "items": items, "check_form": AuditCheckForm()})


@login_required
def audit_export(request, pk, fmt):
    access.require_national(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    try:
        sample = AuditSample.objects.get(pk=pk)
    except AuditSample.DoesNotExist:
        raise Http404 from None
    return exports.response(_audit_table(sample), fmt, f"audit-sample{pk}")


@login_required
@require_POST
def audit_check(request, pk):
    access.require_national(request.user)
    try:
        item = AuditSampleItem.objects.get(pk=pk)
    except AuditSampleItem.DoesNotExist:
        raise Http404 from None
    form = AuditCheckForm(request.POST)
    if form.is_valid():
        try:
            actions.check_audit_item(request.user, item.pk, form.cleaned_data["result"], form.cleaned_data["note"], request=request)
            messages.success(request, _("確認結果を記録しました。"))
        except actions.Refused as error:
            _refused(request, error)
    else:
        messages.error(request, _("確認結果を選んでください。"))
    return redirect(reverse("governance:audit", args=[item.sample_id]) + f"#item-{item.pk}")


# ---- single-use links for SMEs (no login) ----------------------------------------------------------

def _answer(request, token, finder, form_class, answer, template):
    try:
        row = finder(token)
    except actions.LinkUnusable as error:
        return render(request, "governance/link_unusable.html", {"message": str(error)}, status=410)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answer(token, form.cleaned_data)
        except actions.LinkUnusable as error:
            return render(request, "governance/link_unusable.html", {"message": str(error)}, status=410)
        return render(request, "governance/thanks.html")
    return render(request, template, {"row": row, "form": form,
                                      "organisation": row.organisation, "company": row.company})


def survey(request, token):
    return _answer(request, token, actions.survey_for_token, SurveyForm, actions.answer_survey, "governance/survey.html")


def follow_up(request, token):
    return _answer(request, token, actions.follow_up_for_token, FollowUpForm, actions.answer_follow_up, "governance/follow_up.html")
