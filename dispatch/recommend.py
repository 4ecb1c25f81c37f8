"""Expert choice for a case: the directory's explainable recommendation when available, limited to
approved experts covering the SME's prefecture (the dispatch rule), recommended ones listed first."""

from django.db.models import Case, IntegerField, Value, When

from .forms import experts_for_prefecture

try:  # written by the directory; the plain list below works without it
    from directory.recommend import recommend_experts
except ImportError:  # pragma: no cover - only while the directory module is absent
    recommend_experts = None


def expert_choices(text, company):
    """(queryset for the expert field, [(expert, score, reasons)] recommended and eligible)."""
    eligible = experts_for_prefecture(company.prefecture_id)
    if recommend_experts is None:
        return eligible, []
    ranked = recommend_experts(text or "", prefecture=company.prefecture, industry=company.industry, limit=20)
    covering = set(eligible.filter(pk__in=[e.pk for e, _, _ in ranked]).values_list("pk", flat=True))
    explanations = [(e, score, reasons) for e, score, reasons in ranked if e.pk in covering][:5]
    if not explanations:
        return eligible, []
    order = Case(*[When(pk=e.pk, then=Value(i)) for i, (e, _, _) in enumerate(explanations)],
                 default=Value(len(explanations)), output_field=IntegerField())
    return eligible.annotate(rank=order).order_by("rank", "display_name_kana", "pk"), explanations
