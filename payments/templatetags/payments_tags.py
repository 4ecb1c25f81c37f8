"""The payment section of the dispatch case page: amounts for the expert and the secretariat, the
secretariat's pre-payment check flags. A fixed number of queries; nothing for other parties."""

from django import template
from django.utils.translation import gettext as _

from dispatch.models import State

from .. import calc, rules
from ..forms import DecisionForm
from ..models import AnomalyFlag, PaymentLine

register = template.Library()

SHOWN_STATES = [State.REPORTED, State.CERTIFIED, State.VERIFIED, State.PAID]


@register.filter
def yen(value):
    """30000 → 30,000円 (¥30,000 in English)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return _("%(amount)s円") % {"amount": f"{amount:,}"}


@register.inclusion_tag("payments/_case_payment.html", takes_context=True)
def payment_section(context, case, roles):
    secretariat = "secretariat" in roles
    if case.state not in SHOWN_STATES or not (secretariat or "expert" in roles):
        return {"shown": False}
    line = (PaymentLine.objects.filter(case=case, active=True)
            .select_related("remittance", "remittance__batch").first())
    amounts = None if line else calc.amounts_for(case)
    estimate = None
    if amounts is not None:
        estimate = rules.payment_amounts([amounts], case.expert.is_corporation)
    flags = list(AnomalyFlag.objects.filter(case=case).select_related("decided_by")) if secretariat else []
    report = calc.report_of(case) if line is None else None
    return {
        "shown": True, "case": case, "line": line, "amounts": amounts, "estimate": estimate, "flags": flags,
        "secretariat": secretariat, "form": DecisionForm(), "csrf_token": context.get("csrf_token"),
        "travel_route": line.travel_route if line else (report.travel_route if report else ""),
        "invoice_number": case.expert.invoice_number,
    }
