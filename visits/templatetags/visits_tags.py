"""The evidence panel on the dispatch case page and the consent line in the wallet."""

from django import template
from django.utils import timezone

from dispatch.models import State

from ..access import PARTY_ROLES
from ..actions import EVIDENCE_STATES, consent_status, deadline_for
from ..evidence import evidence_for
from ..forms import ConsentForm, DeclarationForm, PhotoForm, ReasonForm

register = template.Library()

PANEL_STATES = [*EVIDENCE_STATES, State.VERIFIED, State.PAID, State.OUTSIDE]


@register.inclusion_tag("visits/_case_panel.html", takes_context=True)
def visits_case_panel(context, case, roles):
    shown = case.state in PANEL_STATES and bool(set(roles) & PARTY_ROLES)
    if not shown:
        return {"shown": False}
    ev = evidence_for(case)
    deadline = deadline_for(case)
    return {
        "shown": True, "case": case, "roles": roles, "ev": ev, "csrf_token": context.get("csrf_token"),
        "request": context.get("request"), "open": case.state in EVIDENCE_STATES,
        "visit_started": case.starts_at <= timezone.now(), "deadline": deadline,
        "past_deadline": timezone.localdate() > deadline,
        "photo_form": PhotoForm(), "consent_form": ConsentForm(), "declaration_form": DeclarationForm(),
        "reason_form": ReasonForm(),
    }


@register.inclusion_tag("visits/_consent_line.html")
def visits_consent_line(company, fiscal_year):
    if company is None or not fiscal_year:
        return {"status": None}
    return {"status": consent_status(getattr(company, "pk", company), fiscal_year)}
