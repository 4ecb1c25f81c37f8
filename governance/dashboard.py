"""Dashboard figures for a centre, a region (bureau) or the nation, as plain tables.

Every table shown is a `Table`; the page renders them and the CSV / Excel exports write the same
objects, so whatever is on screen can be exported. The number of queries does not depend on the
amount of data: the monthly figures come from ActivityMonth (12 rows per centre) and every other
figure from one grouped query.
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import RoleGrant
from accounts.roles import Role
from directory.models import Organisation
from reference.models import Qualification

from . import aggregates
from .access import CENTRE
from .models import (
    FOLLOWUP_MONTHS, ActivityMonth, ActivityPolicy, CentrePlan, FocusArea, FollowUp, HQVisit, NetworkActivity, Rating,
    StaffQualification, Training, TrainingAttendance,
)
from .years import elapsed_months, governance_year_for, months_of

SUMMED = ["consultations", "in_person", "new_visitors", "solved_consultations", "certified_dispatches",
          "network_activities", "surveys_sent", "survey_responses", "satisfaction_sum", "satisfied"]


def kpi_labels():
    return {
        "consultations": _("相談対応件数"), "visitors": _("来訪相談者数"),
        "solved": _("課題解決件数"), "network": _("ネットワーク活動件数"),
    }


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list
    note: str = ""
    links: list = field(default_factory=list)  # optional URL for each row's first cell

    def linked_rows(self):
        links = self.links or [None] * len(self.rows)
        return list(zip(links, self.rows))


def pct(numerator, denominator):
    return round(100 * numerator / denominator, 1) if denominator else None


def average(total, count):
    return round(total / count, 2) if count else None


def _sum_rows(rows):
    totals = dict.fromkeys(SUMMED, 0)
    for r in rows:
        for k in SUMMED:
            totals[k] += r[k]
    return totals


def _actuals(t):
    return {
        "consultations": t["consultations"], "visitors": t["new_visitors"],
        "solved": t["solved_consultations"] + t["certified_dispatches"], "network": t["network_activities"],
    }


# ---- monthly ----------------------------------------------------------------------------------------

def monthly_table(fy, by_month, targets=None):
    """by_month: {month: summed counters}. Cumulative columns vs the year's targets when given."""
    labels = kpi_labels()
    columns = [_("月"), labels["consultations"], _("うち対面"), labels["visitors"], labels["solved"],
               _("うち相談で解決"), _("うち派遣の従事証明"), labels["network"], _("相談対応件数（累計）"), _("課題解決件数（累計）")]
    rows, running, running_solved = [], 0, 0
    for month in months_of(fy):
        t = by_month.get(month) or dict.fromkeys(SUMMED, 0)
        solved = t["solved_consultations"] + t["certified_dispatches"]
        running += t["consultations"]
        running_solved += solved
        rows.append([_("%(year)s年%(month)s月") % {"year": month.year, "month": month.month}, t["consultations"], t["in_person"], t["new_visitors"], solved,
                     t["solved_consultations"], t["certified_dispatches"], t["network_activities"], running, running_solved])
    return Table("monthly", _("月別の実績"), columns, rows,
                 note=_("来訪相談者数は、年度内に初めて対面で相談に来た月に数えます（同じ事業者は年度内1回）。"))


def targets_table(targets, actuals, fy, today, focus_rows=()):
    months = elapsed_months(fy, today)
    columns = [_("指標"), _("年度目標"), _("実績（年度累計）"), _("達成率（％）"), _("経過月数に応じた目安"), _("目安に対する進捗（％）")]
    rows = []
    for key, label in kpi_labels().items():
        target, actual = targets.get(key) or 0, actuals[key]
        pace = round(target * months / 12) if target else None
        rows.append([label, target or None, actual, pct(actual, target), pace, pct(actual, pace)])
    for name, target, actual in focus_rows:
        pace = round(target * months / 12) if target else None
        rows.append([_("重点分野：%(name)s") % {"name": name}, target or None, actual, pct(actual, target), pace, pct(actual, pace)])
    return Table("targets", _("目標と実績"), columns, rows,
                 note=_("実績は相談記録・派遣の経過・活動記録から自動で集計しています（手入力はしません）。"))


# ---- surveys and follow-ups -------------------------------------------------------------------------

def survey_columns(first):
    return [first, _("送信数"), _("回答数"), _("回答率（％）"), _("平均満足度（5段階）"), _("満足（4・5）の割合（％）")]


def survey_row(label, t):
    return [label, t["surveys_sent"], t["survey_responses"], pct(t["survey_responses"], t["surveys_sent"]),
            average(t["satisfaction_sum"], t["survey_responses"]), pct(t["satisfied"], t["survey_responses"])]


def follow_up_table(filters):
    rows = {
        r["months"]: r for r in FollowUp.objects.filter(**filters).values("months").order_by().annotate(
            sent=Count("pk"), answered=Count("pk", filter=Q(responded_at__isnull=False)),
            solved=Count("pk", filter=Q(problem_solved=FollowUp.Solved.YES)),
            partly=Count("pk", filter=Q(problem_solved=FollowUp.Solved.PARTLY)),
            sales_up=Count("pk", filter=Q(sales_trend=FollowUp.Trend.UP)),
            customers=Sum("new_customers"), employees=Avg("employees"),
        )
    }
    columns = [_("時期"), _("送信数"), _("回答数"), _("回答率（％）"), _("解決した（％）"), _("一部解決した（％）"),
               _("売上が増えた（％）"), _("新規顧客数（合計）"), _("従業員数（平均）")]
    table_rows = []
    for months in FOLLOWUP_MONTHS:
        r = rows.get(months) or {"sent": 0, "answered": 0, "solved": 0, "partly": 0, "sales_up": 0, "customers": None, "employees": None}
        table_rows.append([
            _("%(n)sか月後") % {"n": months}, r["sent"], r["answered"], pct(r["answered"], r["sent"]),
            pct(r["solved"], r["answered"]), pct(r["partly"], r["answered"]), pct(r["sales_up"], r["answered"]),
            r["customers"] or 0, round(r["employees"], 1) if r["employees"] is not None else None,
        ])
    return Table("followups", _("成果の追跡調査（3・6・12か月後）"), columns, table_rows,
                 note=_("課題解決した相談・従事証明済みの派遣の事業者に、3・6・12か月後にメールで伺った結果です。"))


# ---- staff qualifications (seed 002's table) ---------------------------------------------------------

def qualification_table(centre_ids=None):
    grants = RoleGrant.objects.filter(
        status=RoleGrant.Status.APPROVED, role__in=[Role.CHIEF, Role.COORDINATOR], organisation__kind=CENTRE
    )
    if centre_ids is not None:
        grants = grants.filter(organisation_id__in=centre_ids)
    role_of = {}
    for user_id, role in grants.values_list("user_id", "role").order_by():
        if role_of.get(user_id) != Role.CHIEF:  # someone who is both counts once, as the chief
            role_of[user_id] = role
    counts = {}
    for user_id, qualification_id in StaffQualification.objects.filter(user_id__in=grants.values("user_id")).values_list(
        "user_id", "qualification_id").order_by():
        key = (qualification_id, role_of[user_id])
        counts[key] = counts.get(key, 0) + 1
    rows = [[_("（職員数）"), sum(1 for r in role_of.values() if r == Role.CHIEF), sum(1 for r in role_of.values() if r != Role.CHIEF)]]
    for q in Qualification.objects.filter(is_active=True).order_by("sort_order", "pk"):
        rows.append([q.name, counts.get((q.pk, Role.CHIEF), 0), counts.get((q.pk, Role.COORDINATOR), 0)])
    return Table("qualifications", _("チーフコーディネーター・コーディネーターの保有資格"),
                 [_("資格"), _("チーフコーディネーター"), _("コーディネーター")], rows,
                 note=_("※チーフコーディネーター・コーディネーターの自己申告によるもの。複数回答あり。"))


# ---- one centre -------------------------------------------------------------------------------------

def centre_dashboard(centre, fy, today):
    year = governance_year_for(fy)
    month_rows = {r["month"]: r for r in ActivityMonth.objects.filter(organisation=centre, fiscal_year=fy).values(*SUMMED, "month").order_by("month")}
    totals = _sum_rows(month_rows.values())
    actuals = _actuals(totals)
    plan = CentrePlan.objects.filter(organisation=centre, fiscal_year=fy).select_related("confirmed_by").first()
    focus = list(
        FocusArea.objects.filter(plan=plan).annotate(done=Sum("months__consultations")).prefetch_related("specialties")
    ) if plan else []
    targets = plan.targets() if plan else {}
    tables = [
        targets_table(targets, actuals, fy, today, [(a.name, a.target, a.done or 0) for a in focus]),
        monthly_table(fy, month_rows),
        Table("focus", _("重点分野"), [_("重点分野"), _("実績として数える相談分野"), _("目標"), _("実績"), _("達成率（％）")],
              [[a.name, "、".join(s.name for s in a.specialties.all()), a.target, a.done or 0, pct(a.done or 0, a.target)] for a in focus]),
        Table("surveys", _("顧客満足度調査"), survey_columns(_("対象")), [survey_row(centre.name, totals)],
              note=_("相談の終了後・派遣の従事証明後に、設定した抽出率（%(rate)s％）で事業者にメールでお送りしています。")
              % {"rate": year.survey_sample_percent}),
        follow_up_table({"organisation": centre, "fiscal_year": fy}),
    ]
    visits = list(HQVisit.objects.filter(organisation=centre, fiscal_year=fy).select_related("visitor").prefetch_related("follow_ups"))
    tables.append(Table("visits", _("全国本部の訪問・助言"), [_("訪問日"), _("訪問者"), _("助言"), _("フォロー事項"), _("対応済み")], [
        [v.visited_on, v.visitor.name, v.advice, "／".join(f.action for f in v.follow_ups.all()),
         f"{sum(1 for f in v.follow_ups.all() if f.status == 'done')}/{len(v.follow_ups.all())}"] for v in visits
    ]))
    trainings = TrainingAttendance.objects.filter(organisation=centre, training__fiscal_year=fy).values(
        "training__held_on", "training__title", "training__kind").order_by("training__held_on").annotate(n=Count("pk"))
    kinds = dict(Training.Kind.choices)
    tables.append(Table("trainings", _("研修の受講"), [_("実施日"), _("研修"), _("種別"), _("受講者数")], [
        [t["training__held_on"], t["training__title"], kinds.get(t["training__kind"], ""), t["n"]] for t in trainings
    ]))
    network = NetworkActivity.objects.filter(organisation=centre, fiscal_year=fy).select_related("staff").order_by("-held_on", "-pk")[:50]
    tables.append(Table("network", _("ネットワーク活動（直近50件）"), [_("実施日"), _("相手先の種別"), _("相手先"), _("内容"), _("担当者")], [
        [a.held_on, a.get_partner_kind_display(), a.partner_name, a.get_purpose_display(), a.staff.name] for a in network
    ]))
    tables.append(qualification_table([centre.pk]))
    rating = Rating.objects.filter(organisation=centre, fiscal_year=fy).first()
    if rating:
        tables.append(rating_table([(centre, rating)]))
    return {
        "year": year, "plan": plan, "focus": focus, "totals": totals, "actuals": actuals, "targets": targets,
        "month_rows": month_rows, "tables": tables, "rating": rating, "visits": visits,
        "policy": ActivityPolicy.objects.filter(fiscal_year=fy, published_at__isnull=False).first(),
        "refreshed_at": aggregates.last_refreshed(),
    }


def rating_table(pairs):
    columns = [_("拠点"), _("活動指標"), _("満足度"), _("支援機関評価"), _("ヒアリング"), _("総合点"), _("評価"), _("重点指導"),
               _("次年度予算（増減率％）"), _("次年度予算額（千円）")]
    rows = [[c.name, r.indicator_score, r.survey_score, r.org_evaluation_score, r.hearing_score, r.overall, r.grade,
             _("対象") if r.flagged else "", r.budget_change_percent, r.budget_amount] for c, r in pairs]
    return Table("ratings", _("年度末の評価と予算への反映"), columns, rows)


# ---- several centres (a region or the nation) -------------------------------------------------------

def _per_centre(fy, centre_ids):
    qs = ActivityMonth.objects.filter(fiscal_year=fy)
    if centre_ids is not None:
        qs = qs.filter(organisation_id__in=centre_ids)
    by_centre = {r["organisation_id"]: r for r in qs.values("organisation_id").order_by().annotate(**{k: Sum(k) for k in SUMMED})}
    by_month = {r["month"]: r for r in qs.values("month").order_by("month").annotate(**{k: Sum(k) for k in SUMMED})}
    return by_centre, by_month


def _empty():
    return dict.fromkeys(SUMMED, 0)


def _add(total, part):
    for k in SUMMED:
        total[k] += part[k]


def many_dashboard(fy, today, centres, group_by_bureau=False, filters=None):
    """centres: the Organisation rows (with prefecture__bureau) of the region or nation."""
    year = governance_year_for(fy)
    centre_ids = [c.pk for c in centres] if filters is not None else None
    by_centre, by_month = _per_centre(fy, centre_ids)
    plans = {p.organisation_id: p for p in CentrePlan.objects.filter(fiscal_year=fy, **(
        {"organisation_id__in": centre_ids} if centre_ids is not None else {}))}
    ratings = {r.organisation_id: r for r in Rating.objects.filter(fiscal_year=fy, **(
        {"organisation_id__in": centre_ids} if centre_ids is not None else {}))}
    labels = kpi_labels()
    columns = [_("拠点"), _("計画")]
    for key in labels:
        columns += [_("%(kpi)s 目標") % {"kpi": labels[key]}, _("%(kpi)s 実績") % {"kpi": labels[key]}, _("%(kpi)s 達成率（％）") % {"kpi": labels[key]}]
    columns += [_("平均満足度"), _("評価"), _("重点指導")]
    rows, links, survey_rows, chart_rows = [], [], [], []
    bureau_totals, bureau_targets = {}, {}
    for c in centres:
        t = by_centre.get(c.pk) or _empty()
        a = _actuals(t)
        plan = plans.get(c.pk)
        targets = plan.targets() if plan else {}
        row = [c.name, plan.get_status_display() if plan else _("未作成")]
        for key in labels:
            row += [targets.get(key) or None, a[key], pct(a[key], targets.get(key))]
        rating = ratings.get(c.pk)
        row += [average(t["satisfaction_sum"], t["survey_responses"]), rating.grade if rating else "",
                _("対象") if rating and rating.flagged else ""]
        rows.append(row)
        links.append(reverse("governance:centre", args=[c.pk]) + f"?year={fy}")
        survey_rows.append(survey_row(c.name, t))
        chart_rows.append((c.prefecture.name, pct(a["consultations"], targets.get("consultations")), pct(a["solved"], targets.get("solved"))))
        bureau = c.prefecture.bureau
        _add(bureau_totals.setdefault(bureau, _empty()), t)
        bt = bureau_targets.setdefault(bureau, dict.fromkeys(labels, 0))
        for key in labels:
            bt[key] += targets.get(key) or 0
    totals = _empty()
    for t in by_centre.values():
        _add(totals, t)
    tables = []
    if group_by_bureau:
        b_columns = [_("経済産業局"), _("拠点数")]
        for key in labels:
            b_columns += [_("%(kpi)s 目標") % {"kpi": labels[key]}, _("%(kpi)s 実績") % {"kpi": labels[key]}, _("%(kpi)s 達成率（％）") % {"kpi": labels[key]}]
        b_rows, b_links = [], []
        counts = {}
        for c in centres:
            counts[c.prefecture.bureau] = counts.get(c.prefecture.bureau, 0) + 1
        for bureau in sorted(bureau_totals, key=lambda b: b.sort_order):
            a = _actuals(bureau_totals[bureau])
            row = [bureau.name, counts[bureau]]
            for key in labels:
                row += [bureau_targets[bureau][key] or None, a[key], pct(a[key], bureau_targets[bureau][key])]
            b_rows.append(row)
            b_links.append(reverse("governance:region", args=[bureau.pk]) + f"?year={fy}")
        tables.append(Table("bureaus", _("地域（経済産業局）別の目標と実績"), b_columns, b_rows, links=b_links))
        survey_rows = [survey_row(b.name, bureau_totals[b]) for b in sorted(bureau_totals, key=lambda b: b.sort_order)]
    all_targets = {key: sum(p.targets()[key] for p in plans.values()) for key in labels}
    tables += [
        targets_table(all_targets, _actuals(totals), fy, today),
        Table("centres", _("拠点別の目標と実績"), columns, rows, links=links),
        monthly_table(fy, by_month),
        Table("surveys", _("顧客満足度調査"), survey_columns(_("地域") if group_by_bureau else _("拠点")),
              survey_rows + [survey_row(_("合計"), totals)]),
        follow_up_table({"fiscal_year": fy, **({"organisation_id__in": centre_ids} if centre_ids is not None else {"organisation__kind": CENTRE})}),
        qualification_table(centre_ids),
        rating_table([(c, ratings[c.pk]) for c in centres if c.pk in ratings]),
    ]
    flagged = [(c, ratings[c.pk]) for c in centres if c.pk in ratings and ratings[c.pk].flagged]
    return {
        "year": year, "tables": tables, "totals": totals, "month_rows": by_month, "chart_rows": chart_rows,
        "flagged": flagged, "targets": all_targets, "actuals": _actuals(totals),
        "policy": ActivityPolicy.objects.filter(fiscal_year=fy, published_at__isnull=False).first(),
        "refreshed_at": aggregates.last_refreshed(),
    }


def region_dashboard(bureau, fy, today):
    centres = list(Organisation.objects.filter(kind=CENTRE, prefecture__bureau=bureau).select_related("prefecture__bureau")
                   .order_by("prefecture_id", "pk"))
    return many_dashboard(fy, today, centres, filters={"bureau": bureau.pk})


def nation_dashboard(fy, today):
    centres = list(Organisation.objects.filter(kind=CENTRE).select_related("prefecture__bureau").order_by("prefecture_id", "pk"))
    return many_dashboard(fy, today, centres, group_by_bureau=True)


def find_table(data, key):
    for table in data["tables"]:
        if table.key == key:
            return table
    return None

