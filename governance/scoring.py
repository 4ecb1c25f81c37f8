"""The year-end rating: each component on a 0–100 scale, combined with the year's weights."""

from django.db.models import Avg, Sum

from .models import ActivityMonth, CentrePlan, ChecklistItem, FocusArea, HearingScore, OrgEvaluation

KPI_KEYS = ["consultations", "visitors", "solved", "network"]


def actuals_from_rows(rows):
    """KPI actuals from ActivityMonth rows (model instances or dicts)."""
    get = (lambda r, k: r[k]) if rows and isinstance(rows[0], dict) else getattr
    return {
        "consultations": sum(get(r, "consultations") for r in rows),
        "visitors": sum(get(r, "new_visitors") for r in rows),
        "solved": sum(get(r, "solved_consultations") + get(r, "certified_dispatches") for r in rows),
        "network": sum(get(r, "network_activities") for r in rows),
    }


def achievement(actual, target):
    """actual / target as a fraction (None without a target)."""
    return actual / target if target else None


def indicator_score(targets, actuals, focus):
    """Mean of the capped achievement rates (each at most 100 %) of the four indicators and,
    as one more item, the focus areas' mean. focus: [(target, actual)]."""
    rates = [min(achievement(actuals[k], targets[k]), 1.0) for k in KPI_KEYS if targets.get(k)]
    focus_rates = [min(a / t, 1.0) for t, a in focus if t]
    if focus_rates:
        rates.append(sum(focus_rates) / len(focus_rates))
    return round(100 * sum(rates) / len(rates), 1) if rates else None


def five_point(average):
    """1–5 average → 0–100."""
    return None if average is None else round((average - 1) / 4 * 100, 1)


def centre_scores(organisation_id, fy):
    rows = list(ActivityMonth.objects.filter(organisation_id=organisation_id, fiscal_year=fy))
    actuals = actuals_from_rows(rows)
    plan = CentrePlan.objects.filter(organisation_id=organisation_id, fiscal_year=fy).first()
    focus = [
        (a.target, a.done or 0)
        for a in FocusArea.objects.filter(plan=plan).annotate(done=Sum("months__consultations"))
    ] if plan else []
    responses = sum(r.survey_responses for r in rows)
    survey_average = sum(r.satisfaction_sum for r in rows) / responses if responses else None
    evaluation = OrgEvaluation.objects.filter(centre_id=organisation_id, fiscal_year=fy).aggregate(avg=Avg("score"))["avg"]
    scored = HearingScore.objects.filter(hearing__organisation_id=organisation_id, hearing__fiscal_year=fy)
    got = scored.aggregate(total=Sum("score"))["total"]
    possible = ChecklistItem.objects.filter(pk__in=scored.values("item_id")).aggregate(total=Sum("max_score"))["total"]
    return {
        "indicators": indicator_score(plan.targets(), actuals, focus) if plan else None,
        "survey": five_point(survey_average),
        "org_evaluation": five_point(evaluation),
        "hearing": round(100 * got / possible, 1) if possible else None,
    }


def combine(scores, weights):
    """Weighted mean over the components that have data (the weights of missing ones are left out)."""
    parts = [(scores[k], w) for k, w in weights.items() if scores.get(k) is not None and w]
    total = sum(w for _s, w in parts)
    return round(sum(s * w for s, w in parts) / total, 1) if total else None
