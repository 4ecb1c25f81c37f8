"""Cases visited but not yet payable, and who is holding each one up (seed 003: late evidence from
the SME delays the expert's pay). No side effects."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispatch.models import DispatchCase, State

try:  # the day-of-support evidence (time reports, photos, consent, declaration)
    from visits.evidence import evidence_for_cases
except ImportError:  # pragma: no cover
    evidence_for_cases = None

WAITING_STATES = [State.SCHEDULED, State.DONE, State.REPORTED, State.CERTIFIED]
PARTIES = {
    "sme": _("中小企業者"),
    "expert": _("専門家"),
    "organisation": _("支援機関"),
    "secretariat": _("事務局"),
}


@dataclass
class Step:
    party: str
    label: str

    @property
    def party_label(self):
        return PARTIES[self.party]


@dataclass
class WaitingCase:
    case: object
    steps: list = field(default_factory=list)

    @property
    def parties(self):
        return list(dict.fromkeys(s.party for s in self.steps))

    @property
    def party_labels(self):
        return [PARTIES[p] for p in self.parties]

    @property
    def days_since_visit(self):
        return (timezone.localdate() - timezone.localtime(self.case.ends_at).date()).days


def waiting_queryset(qs=None):
    qs = DispatchCase.objects.all() if qs is None else qs
    return (qs.filter(state__in=WAITING_STATES, ends_at__lt=timezone.now())
            .select_related("company", "expert", "organisation").order_by("ends_at", "pk"))


def _evidence_steps(ev):
    steps = []
    if ev is None:
        return steps
    if ev.pending_reviews:
        steps.append(Step("secretariat", _("時刻報告の確認（許容幅外・差出人の確認など）")))
    if not ev.photo_ok:
        steps.append(Step("sme", _("支援状況の写真の提出")))
    if ev.declaration_required and not ev.declaration_accepted:
        d = ev.declaration
        if d is not None and d.status == "submitted":
            steps.append(Step("secretariat", _("支援実施申告書兼再発防止誓約書の確認")))
        else:
            steps.append(Step("sme", _("支援実施申告書兼再発防止誓約書の提出（専門家・支援機関の記名押印とともに）")))
            steps.append(Step("expert", _("支援実施申告書兼再発防止誓約書への記名押印")))
            steps.append(Step("organisation", _("支援実施申告書兼再発防止誓約書への記名押印")))
    if ev.consent is None:
        steps.append(Step("sme", _("写真提出の同意書（年度に1回、支援機関が代わりに送ることも可）")))
    return steps


def steps_for(case, ev=None):
    steps = []
    if case.state == State.SCHEDULED:
        steps.append(Step("sme", _("支援当日の開始・終了時刻の報告と写真（送れなかった場合は申告書）")))
    elif case.state == State.DONE:
        steps.append(Step("expert", _("支援報告書の提出")))
    elif case.state == State.REPORTED:
        steps.append(Step("sme", _("従事証明と専門家の評価の入力")))
    if case.state != State.SCHEDULED:
        steps += _evidence_steps(ev)
    if case.state == State.CERTIFIED and not steps:
        steps.append(Step("secretariat", _("証憑の確認（確認済みにすると支払の対象になります）")))
    return steps


def waiting_cases(cases):
    """[WaitingCase] for the given cases (a bounded list), evidence loaded in a fixed number of queries."""
    cases = list(cases)
    evidence = evidence_for_cases(cases) if evidence_for_cases and cases else {}
    return [WaitingCase(case, steps_for(case, evidence.get(case.pk))) for case in cases]
