"""The case page's report section: one tag, a fixed number of queries, visibility decided here.

Who sees what (the case page is already scoped by dispatch.access):
- the report's content and hours: every party of the case (the SME must check it before certifying);
- the travel claim: the expert, the organisation and the secretariat (a payment matter);
- the certification: every party;
- the evaluation scores: the SME, the organisation, the secretariat and national/regional readers,
  not the expert (individual scores are not shown to the person rated; the expert's public average
  in the directory pools them);
- the evaluation comment: the organisation, the secretariat and the SME who wrote it;
- disputes: every party (the expert must correct the report).
"""

from django import template

from dispatch.models import State

from .. import rules
from ..models import Certification, Dispute, Evaluation, SupportReport

register = template.Library()


@register.inclusion_tag("reports/_case_section.html")
def report_section(case, roles):
    report = SupportReport.objects.filter(case=case).first()
    certification = Certification.objects.select_related("certified_by").filter(case=case).first()
    evaluation = Evaluation.objects.filter(case=case).first() if certification else None
    disputes = list(Dispute.objects.filter(case=case).select_related("raised_by")) if report else []
    staff = bool(roles & {"organisation", "secretariat"})
    expert = "expert" in roles
    sme = "sme" in roles
    return {
        "case": case, "report": report, "certification": certification, "evaluation": evaluation,
        "disputes": disputes, "open_disputes": [d for d in disputes if d.resolved_at is None],
        "show_travel": staff or expert,
        "show_scores": not expert or staff or sme,
        "show_comment": staff or sme,
        "can_report": expert and report is None and not rules.report_refusal(case),
        "report_waiting": expert and report is None and case.state == State.SCHEDULED,
        "can_revise": expert and report is not None and certification is None and case.state == State.REPORTED,
        "can_certify": sme and report is not None and certification is None and case.state == State.REPORTED,
        "can_reissue": staff and report is not None and certification is None and case.state == State.REPORTED,
    }


@register.filter
def certified_span(certification):
    """{{ certification|certified_span }} → '2026年11月20日 22:00〜翌1:30'."""
    return rules.certified_span(certification)


@register.filter
def planned_span(case):
    """{{ case|planned_span }} → '2026年11月20日 20:00〜翌1:00'."""
    return rules.planned_span(case)


@register.simple_tag
def certified_hours(certification):
    """{% certified_hours cert as hours %}: the certified duration beside the report's hours."""
    return rules.certified_hours(certification)
