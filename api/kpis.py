"""KPI figures per よろず支援拠点 and fiscal year, through the governance app: the same centres
(governance.access.centres_for: its centre for centre staff, the region for a bureau, the nation for
HQ / the secretariat), the same actuals (ActivityMonth computed from the records, summed with
governance.scoring.actuals_from_rows) and the plan's targets; plus the centre's dispatch counts."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _, gettext_lazy
from ninja import Field, Query, Router, Schema

from core.dates import fiscal_year, fiscal_year_label
from dispatch.models import COUNTED_STATES, DispatchCase, State
from governance import aggregates
from governance.access import centres_for, is_national
from governance.models import ActivityMonth, CentrePlan
from governance.scoring import KPI_KEYS, actuals_from_rows
from reference.models import Bureau

from .auth import bearer
from .schemas import Error, FiscalYear, Kpis, ValidationErrorOut

router = Router(auth=bearer, tags=[gettext_lazy("評価・KPI（トークンが必要）")])

COMPLETED_STATES = [State.DONE, State.REPORTED, State.CERTIFIED, State.VERIFIED, State.PAID]
ACTIVITY_FIELDS = ["consultations", "new_visitors", "solved_consultations", "certified_dispatches", "network_activities"]


class KpiQuery(Schema):
    fiscal_year: FiscalYear = Field(None, description="年度（省略時は今年度）")
    bureau: str = Field(None, max_length=16, pattern=r"^[a-z_]+$", description="経済産業局のコードで絞り込む（例: kanto）")


class NotPermitted(Exception):
    """The user holds no role that may see this; the message is shown as is."""


def kpi_scope(user):
    """'nation', 'region' or 'centre', as the governance dashboards decide; NotPermitted for others."""
    if is_national(user):
        return "nation"
    if user.bureau_codes():
        return "region"
    if centres_for(user).exists():
        return "centre"
    raise NotPermitted(_("KPIを見られるのは、よろず支援拠点の職員、経済産業局、全国本部・事務局の方です。"))


def actuals(centre_ids, fy):
    """{centre id: {consultations, visitors, solved, network}} from ActivityMonth: one grouped query."""
    rows = (
        ActivityMonth.objects.filter(fiscal_year=fy, organisation_id__in=centre_ids)
        .values("organisation_id").order_by().annotate(**{f: Sum(f) for f in ACTIVITY_FIELDS})
    )
    return {r["organisation_id"]: actuals_from_rows([r]) for r in rows}


def dispatch_counts(centre_ids, fy):
    """{centre id: (dispatches, completed)} for the fiscal year: one grouped query."""
    rows = (
        DispatchCase.objects.filter(fiscal_year=fy, organisation_id__in=centre_ids)
        .values("organisation_id").order_by()
        .annotate(n=Count("pk", filter=Q(state__in=COUNTED_STATES)), done=Count("pk", filter=Q(state__in=COMPLETED_STATES)))
    )
    return {r["organisation_id"]: (r["n"], r["done"]) for r in rows}


@router.get("/kpis/", response={200: Kpis, 401: Error, 403: Error, 422: ValidationErrorOut},
            summary=gettext_lazy("よろず支援拠点ごとの目標と実績（KPI）"),
            description=gettext_lazy(
                "年度の相談対応件数・来訪相談者数・課題解決件数・ネットワーク活動件数の実績（記録から集計）と"
                "事業計画の目標、専門家派遣の件数です。拠点の職員は自拠点、経済産業局は管内、"
                "全国本部・事務局は全国です。実績は定期的に集計されます（refreshed_at）。"))
def kpis(request, params: Query[KpiQuery]):
    scope = kpi_scope(request.user)
    fy = params.fiscal_year or fiscal_year()
    centres = centres_for(request.user).select_related("prefecture", "prefecture__bureau")
    if params.bureau:
        centres = centres.filter(prefecture__bureau_id=params.bureau)
    centres = list(centres.order_by("prefecture_id", "pk"))
    ids = [c.pk for c in centres]
    figures, dispatches = actuals(ids, fy), dispatch_counts(ids, fy)
    plans = {p.organisation_id: p for p in CentrePlan.objects.filter(fiscal_year=fy, organisation_id__in=ids)}
    zero = dict.fromkeys(KPI_KEYS, 0)
    rows = []
    for c in centres:
        plan = plans.get(c.pk)
        n, done = dispatches.get(c.pk, (0, 0))
        rows.append({
            "organisation": {"id": c.pk, "name": c.name},
            "prefecture": {"code": c.prefecture.code, "name": c.prefecture.name},
            "bureau": c.prefecture.bureau.name,
            "plan_status": plan.status if plan else None,
            "actuals": figures.get(c.pk, zero),
            "targets": plan.targets() if plan else None,
            "dispatches": n,
            "dispatches_completed": done,
        })
    bureau_codes = sorted({c.prefecture.bureau_id for c in centres})
    return {
        "fiscal_year": fy,
        "fiscal_year_label": fiscal_year_label(fy),
        "scope": scope,
        "refreshed_at": aggregates.last_refreshed(),
        "bureaus": [{"code": b.code, "name": b.name} for b in Bureau.objects.filter(code__in=bureau_codes)],
        "totals": {
            "actuals": {k: sum(r["actuals"][k] for r in rows) for k in KPI_KEYS},
            "targets": {k: sum((r["targets"] or zero)[k] for r in rows) for k in KPI_KEYS},
            "dispatches": sum(r["dispatches"] for r in rows),
            "dispatches_completed": sum(r["dispatches_completed"] for r in rows),
        },
        "centres": rows,
    }
