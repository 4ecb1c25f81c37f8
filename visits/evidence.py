"""What evidence a case has and what is missing (no side effects).

`evidence_for(case)` for one case; `evidence_for_cases(cases)` for a page of cases in a fixed
number of queries whatever their count.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from dispatch.models import State

from .models import CasePhoto, DeclarationScan, PhotoConsent, TimeReport

CERTIFIED_STATES = [State.CERTIFIED, State.VERIFIED, State.PAID]


def _best(reports):
    """The report that proves the time: a counting one first (check-in before mail), else the latest."""
    counting = [r for r in reports if r.counts]
    if counting:
        return sorted(counting, key=lambda r: (r.source != TimeReport.Source.CHECKIN, r.received_at))[0]
    return max(reports, key=lambda r: r.received_at) if reports else None


@dataclass
class Evidence:
    case: object
    reports: list = field(default_factory=list)
    photos: list = field(default_factory=list)
    consent: object = None
    declarations: list = field(default_factory=list)

    @property
    def start(self):
        return _best([r for r in self.reports if r.kind == TimeReport.Kind.START])

    @property
    def end(self):
        return _best([r for r in self.reports if r.kind == TimeReport.Kind.END])

    @property
    def start_ok(self):
        return bool(self.start and self.start.counts)

    @property
    def end_ok(self):
        return bool(self.end and self.end.counts)

    @property
    def usable_photos(self):
        return [p for p in self.photos if p.status != CasePhoto.Status.REJECTED]

    @property
    def photo_ok(self):
        return bool(self.usable_photos)

    @property
    def pending_reviews(self):
        return [r for r in self.reports if r.review == TimeReport.Review.PENDING]

    @property
    def certification(self):
        return getattr(self.case, "certification", None)

    @property
    def certified(self):
        return self.case.state in CERTIFIED_STATES

    @property
    def declaration_required(self):
        return not (self.start_ok and self.end_ok and self.photo_ok)

    @property
    def declaration(self):
        """The latest scan (accepted first)."""
        accepted = [d for d in self.declarations if d.status == DeclarationScan.Status.ACCEPTED]
        if accepted:
            return accepted[0]
        return max(self.declarations, key=lambda d: d.created_at) if self.declarations else None

    @property
    def declaration_accepted(self):
        d = self.declaration
        return bool(d and d.status == DeclarationScan.Status.ACCEPTED)

    @property
    def todo(self):
        """What the parties still have to bring (Japanese), for pages and the deadline mail."""
        items = []
        if not self.start_ok:
            items.append(_("支援開始時刻の報告（許容幅内）"))
        if not self.end_ok:
            items.append(_("支援終了時刻の報告（許容幅内）"))
        if not self.photo_ok:
            items.append(_("支援状況の写真"))
        if self.declaration_required and not self.declaration_accepted:
            items.append(_("支援実施申告書兼再発防止誓約書（3者の記名・押印）"))
        if self.consent is None:
            items.append(_("写真提出の同意書（年度に1回）"))
        if not self.certified:
            items.append(_("従事証明の入力"))
        return items

    @property
    def missing(self):
        """Why the secretariat may not verify yet (Japanese sentences)."""
        reasons = []
        if self.pending_reviews:
            reasons.append(_("確認が必要な時刻報告があります。報告を認めるか認めないかを決めてください。"))
        if self.declaration_required and not self.declaration_accepted:
            gaps = [label for ok, label in (
                (self.start_ok, _("開始時刻")), (self.end_ok, _("終了時刻")), (self.photo_ok, _("写真")),
            ) if not ok]
            reasons.append(
                _("%(gaps)sの証憑がないため、支援実施申告書兼再発防止誓約書の受理が必要です。") % {"gaps": "・".join(gaps)}
            )
        if self.consent is None:
            reasons.append(_("この年度の写真提出の同意書が届いていません。"))
        if not self.certified:
            reasons.append(_("従事証明がまだ入力されていません。"))
        return reasons

    @property
    def complete(self):
        return not self.missing


def evidence_for(case):
    return evidence_for_cases([case])[case.pk]


def evidence_for_cases(cases):
    """{case.pk: Evidence} in four queries for any number of cases."""
    cases = list(cases)
    ids = [c.pk for c in cases]
    reports, photos, declarations = defaultdict(list), defaultdict(list), defaultdict(list)
    for r in TimeReport.objects.filter(case_id__in=ids).order_by("received_at"):
        reports[r.case_id].append(r)
    for p in CasePhoto.objects.filter(case_id__in=ids).order_by("created_at", "pk"):
        photos[p.case_id].append(p)
    for d in DeclarationScan.objects.filter(case_id__in=ids).order_by("-created_at", "-pk"):
        declarations[d.case_id].append(d)
    consents = {}
    pairs = {(c.company_id, c.fiscal_year) for c in cases}
    if pairs:
        condition = Q()
        for company_id, fy in pairs:
            condition |= Q(company_id=company_id, fiscal_year=fy)
        for consent in PhotoConsent.objects.filter(condition, status=PhotoConsent.Status.RECEIVED):
            consents[(consent.company_id, consent.fiscal_year)] = consent
    return {
        c.pk: Evidence(
            case=c, reports=reports[c.pk], photos=photos[c.pk],
            consent=consents.get((c.company_id, c.fiscal_year)), declarations=declarations[c.pk],
        )
        for c in cases
    }
