"""Warn every party before a case falls outside the programme (once per case and deadline)."""

import datetime

from django.utils import timezone

from dispatch.models import DispatchCase

from . import actions
from .evidence import evidence_for_cases


def due_cases(today):
    """Cases whose evidence deadline is within the warning period (and not past), per programme year."""
    at_risk = DispatchCase.objects.filter(state__in=actions.EVIDENCE_STATES)
    for fy in at_risk.values_list("fiscal_year", flat=True).distinct().order_by("fiscal_year"):
        rules = actions.rules_for_year(fy)
        # deadline = visit day + deadline days; warn from (deadline - warn days) to the deadline itself.
        first_day = today - datetime.timedelta(days=rules.evidence_deadline_days)
        last_day = first_day + datetime.timedelta(days=rules.warn_days_before)
        start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))
        end = timezone.make_aware(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min))
        cases = (
            at_risk.filter(fiscal_year=fy, ends_at__gte=start, ends_at__lt=end)
            .select_related("company", "expert", "expert__user", "organisation").order_by("ends_at", "pk")
        )
        yield rules, cases


def send_deadline_warnings(now=None):
    """Queue the warnings that are due; returns how many cases were warned."""
    today = timezone.localtime(now or timezone.now()).date()
    sent = 0
    for rules, cases in due_cases(today):
        cases = list(cases)
        evidence = evidence_for_cases(cases)
        for case in cases:
            if not evidence[case.pk].todo:  # only the secretariat's check is left: nobody to warn
                continue
            if actions.warn_deadline(case.pk, actions.deadline_for(case, rules), today):
                sent += 1
    return sent
