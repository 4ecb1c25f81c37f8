"""The secretariat's checks before paying (支払前点検): each finding says why.

1. overlap  — two visits of one expert at the same time;
2. travel   — two visits of one expert too far apart for the time between them (straight line
              between the prefectural offices at the year's speed, see geo.py);
3. pair     — the same expert and SME unusually often in one fiscal year;
4. text     — a support report nearly identical to another report (similarity.py).

The finders are plain functions over small records; `scan(case_ids)` loads what they need in a
fixed number of queries per chunk of cases and stores the findings as AnomalyFlag rows (a finding
already cleared or held by the secretariat keeps its decision).
"""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.dates import span_end
from dispatch.models import DispatchCase, State

from . import geo, similarity
from .config import settings_for_year
from .models import AnomalyCheck, AnomalyFlag, ReportBand, ReportFingerprint

# Visits that took (or are booked to take) place: the expert's time was spoken for.
VISIT_STATES = [State.SCHEDULED, State.DONE, State.REPORTED, State.CERTIFIED, State.VERIFIED, State.PAID]
CHUNK = 2000
# Same-expert reports are compared directly when their shingle sets overlap at least this much
# (a loose floor: texts with a difflib ratio of 0.8 share far more 4-character shingles).
JACCARD_FLOOR = 0.3
MAX_TEXT_CANDIDATES = 50  # band matches kept per report, most shared bands first
MAX_BUCKET = 100  # reports sharing one band value beyond which the value is boilerplate
DIFFLIB_CHECKS = 3  # exact comparisons per report, closest shingle sets first


@dataclass(frozen=True)
class Visit:
    case_id: int
    expert_id: int
    company_id: int
    company_name: str
    prefecture: str
    prefecture_name: str
    fiscal_year: int
    starts_at: object
    ends_at: object

    def label(self):
        start = timezone.localtime(self.starts_at)
        return _("派遣#%(id)s（%(company)s、%(pref)s、%(day)s %(start)s〜%(end)s）") % {
            "id": self.case_id, "company": self.company_name, "pref": self.prefecture_name,
            "day": f"{start:%Y-%m-%d}", "start": f"{start:%H:%M}", "end": span_end(self.starts_at, self.ends_at),
        }


@dataclass(frozen=True)
class Finding:
    case_id: int
    kind: str
    key: str
    related_case_id: int | None
    reason: str


def _chunks(items, size=CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


# ---- finders (no database) --------------------------------------------------------------------

def find_overlaps(visits, targets):
    """visits: one expert's visits sorted by start; targets: case ids to report on."""
    findings = []
    for i, a in enumerate(visits):
        for b in visits[i + 1:]:
            if b.starts_at >= a.ends_at:
                break
            for this, other in ((a, b), (b, a)):
                if this.case_id in targets:
                    findings.append(Finding(this.case_id, AnomalyFlag.Kind.OVERLAP, f"overlap:{other.case_id}", other.case_id,
                                            _("同じ専門家の%(other)sと支援時間が重なっています。") % {"other": other.label()}))
    return findings


def find_impossible_travel(visits, targets, speed_for):
    """Consecutive visits only: if each hop can be made, so can any longer one (triangle inequality).
    speed_for(fiscal_year) gives the speed in km/h."""
    findings = []
    for a, b in zip(visits, visits[1:]):
        if b.starts_at < a.ends_at or a.prefecture == b.prefecture:
            continue  # overlaps are their own finding; within a prefecture there is no distance
        km = geo.distance_km(a.prefecture, b.prefecture)
        gap = (b.starts_at - a.ends_at).total_seconds() / 60
        for this, other in ((a, b), (b, a)):
            if this.case_id not in targets:
                continue
            speed = speed_for(this.fiscal_year)
            needed = km / speed * 60
            if gap < needed:
                findings.append(Finding(this.case_id, AnomalyFlag.Kind.TRAVEL, f"travel:{other.case_id}", other.case_id, _(
                    "%(other)sとの間は%(gap)d分しかありませんが、%(a)sと%(b)sの都道府県庁の間は直線で約%(km)dkmあり、"
                    "時速%(speed)dkmでも約%(needed)d分かかります。"
                ) % {"other": other.label(), "gap": int(gap), "a": a.prefecture_name, "b": b.prefecture_name,
                     "km": int(km), "speed": speed, "needed": int(needed + 0.999)}))
    return findings


def find_frequent_pairs(targets, counts, threshold_for):
    """targets: Visits to report on; counts: {(expert, company, fy): visits that year}."""
    findings = []
    for v in targets:
        n = counts.get((v.expert_id, v.company_id, v.fiscal_year), 0)
        threshold = threshold_for(v.fiscal_year)
        if threshold and n >= threshold:
            findings.append(Finding(v.case_id, AnomalyFlag.Kind.PAIR, f"pair:{v.fiscal_year}", None, _(
                "この専門家と%(company)sの組合せは%(fy)s年度に%(n)d回派遣されています（%(threshold)d回以上で確認）。"
            ) % {"company": v.company_name, "fy": v.fiscal_year, "n": n, "threshold": threshold}))
    return findings


# ---- loading ----------------------------------------------------------------------------------

VISIT_FIELDS = ["pk", "expert_id", "company_id", "company__name", "company__prefecture_id", "company__prefecture__name",
                "fiscal_year", "starts_at", "ends_at"]


def _visits(qs):
    return [Visit(*row) for row in qs.values_list(*VISIT_FIELDS)]


def _report_texts(case_ids):
    from reports.models import SupportReport

    texts = {}
    for chunk in _chunks(case_ids):
        for case_id, activities, advice in SupportReport.objects.filter(case_id__in=chunk).values_list(
            "case_id", "activities", "advice"
        ):
            texts[case_id] = f"{activities}\n{advice}"
    return texts


def _digest(text):
    return hashlib.blake2b(similarity.normalise(text).encode(), digest_size=16).hexdigest()


def refresh_fingerprints(case_ids=()):
    """Fingerprint the given cases' reports (when their text changed) and every report not yet
    fingerprinted or revised since; returns how many were (re)written."""
    from reports.models import SupportReport

    stale = SupportReport.objects.exclude(case_id__in=ReportFingerprint.objects.values("case_id"))
    revised = SupportReport.objects.filter(
        revised_at__isnull=False,
        revised_at__gt=Subquery(ReportFingerprint.objects.filter(case_id=OuterRef("case_id")).values("refreshed_at")[:1]),
    )
    wanted = set(case_ids) | set(stale.values_list("case_id", flat=True)) | set(revised.values_list("case_id", flat=True))
    written = 0
    for chunk in _chunks(sorted(wanted)):
        rows = SupportReport.objects.filter(case_id__in=chunk).values_list("case_id", "case__expert_id", "activities", "advice")
        known = dict(ReportFingerprint.objects.filter(case_id__in=chunk).values_list("case_id", "digest"))
        fresh = []
        for case_id, expert_id, activities, advice in rows:
            text = f"{activities}\n{advice}"
            digest = _digest(text)
            if known.get(case_id) != digest:
                fresh.append((case_id, expert_id, digest, similarity.band_hashes(text)))
        if not fresh:
            continue
        with transaction.atomic():
            ids = [f[0] for f in fresh]
            ReportFingerprint.objects.filter(case_id__in=ids).delete()
            # Two checks running at once may fingerprint the same report: the second insert is a no-op.
            ReportFingerprint.objects.bulk_create(
                [ReportFingerprint(case_id=c, expert_id=e, digest=d) for c, e, d, _b in fresh], ignore_conflicts=True
            )
            ReportBand.objects.bulk_create([
                ReportBand(fingerprint_id=c, band=band, value=value)
                for c, _e, _d, bands in fresh for band, value in enumerate(bands)
            ], ignore_conflicts=True)
        written += len(fresh)
    return written


# ---- the scan ---------------------------------------------------------------------------------

def _visit_findings(targets, speed_for):
    findings = []
    target_ids = {v.case_id for v in targets}
    experts = sorted({v.expert_id for v in targets})
    start = min(v.starts_at for v in targets) - timedelta(days=2)
    end = max(v.ends_at for v in targets) + timedelta(days=2)
    for chunk in _chunks(experts, 500):
        by_expert = defaultdict(list)
        qs = DispatchCase.objects.filter(expert_id__in=chunk, state__in=VISIT_STATES, starts_at__lt=end, ends_at__gt=start)
        for v in _visits(qs.order_by("expert_id", "starts_at", "pk")):
            by_expert[v.expert_id].append(v)
        for visits in by_expert.values():
            findings += find_overlaps(visits, target_ids)
            findings += find_impossible_travel(visits, target_ids, speed_for)
    return findings


def _pair_findings(targets, threshold_for):
    counts = {}
    years = sorted({v.fiscal_year for v in targets})
    for chunk in _chunks(sorted({v.expert_id for v in targets}), 500):
        rows = (DispatchCase.objects.filter(expert_id__in=chunk, fiscal_year__in=years, state__in=VISIT_STATES)
                .values_list("expert_id", "company_id", "fiscal_year").annotate(n=Count("pk")).order_by())
        for expert_id, company_id, fy, n in rows:
            counts[(expert_id, company_id, fy)] = n
    return find_frequent_pairs(targets, counts, threshold_for)


def _text_candidates(target_ids):
    """{target case: Counter(other case: bands shared)} from the band index. Texts sharing more bands
    are more alike (the share estimates their Jaccard similarity)."""
    wanted = defaultdict(set)
    for chunk in _chunks(target_ids):
        for case_id, band, value in ReportBand.objects.filter(fingerprint_id__in=chunk).values_list("fingerprint_id", "band", "value"):
            wanted[(band, value)].add(case_id)
    candidates = defaultdict(Counter)
    for chunk in _chunks(sorted({value for _band, value in wanted})):
        # A band shared by very many reports is boilerplate ("特になし"), not a copy: skip such buckets.
        crowded = set(ReportBand.objects.filter(value__in=chunk).values("value").annotate(n=Count("pk"))
                      .filter(n__gt=MAX_BUCKET).values_list("value", flat=True))
        rows = ReportBand.objects.filter(value__in=[v for v in chunk if v not in crowded])
        for case_id, band, value in rows.values_list("fingerprint_id", "band", "value"):
            for target in wanted.get((band, value), ()):
                if target != case_id:
                    candidates[target][case_id] += 1
    return candidates


def _same_expert(targets):
    """{target case: the same expert's other reports of this or the previous fiscal year}."""
    years = {v.fiscal_year for v in targets}
    by_expert = defaultdict(set)
    for chunk in _chunks(sorted({v.expert_id for v in targets}), 500):
        for case_id, expert_id in ReportFingerprint.objects.filter(
            expert_id__in=chunk, case__fiscal_year__gte=min(years) - 1
        ).values_list("case_id", "expert_id"):
            by_expert[expert_id].add(case_id)
    return {v.case_id: by_expert[v.expert_id] - {v.case_id} for v in targets}


class _Texts:
    """Normalised texts and shingle sets, computed once per report."""

    def __init__(self, raw):
        self.raw = raw
        self._norm, self._shingles = {}, {}

    def norm(self, case_id):
        if case_id not in self._norm:
            self._norm[case_id] = similarity.normalise(self.raw.get(case_id, ""))
        return self._norm[case_id]

    def shingles(self, case_id):
        if case_id not in self._shingles:
            self._shingles[case_id] = similarity.shingles_of_normalised(self.norm(case_id))
        return self._shingles[case_id]

    def jaccard(self, a, b):
        sa, sb = self.shingles(a), self.shingles(b)
        if not sa or not sb:
            return 0.0
        common = len(sa & sb)
        return common / (len(sa) + len(sb) - common)


def _closest(texts, case_id, candidates, threshold):
    """The most similar candidate by difflib ratio, checking only the few whose shingles overlap most."""
    scored = sorted(((texts.jaccard(case_id, c), c) for c in candidates), reverse=True)
    mine = texts.norm(case_id)
    best = None
    for jaccard, other in scored[:DIFFLIB_CHECKS]:
        if jaccard < JACCARD_FLOOR:
            break
        ratio = similarity.normalised_ratio(mine, texts.norm(other), threshold)
        if ratio is not None and (best is None or ratio > best[1]):
            best = (other, ratio)
    return best


def _text_findings(targets, percent_for):
    target_ids = [v.case_id for v in targets]
    refresh_fingerprints(target_ids)
    banded = _text_candidates(target_ids)
    same = _same_expert(targets)
    shortlisted = {t: {c for c, _n in banded.get(t, Counter()).most_common(MAX_TEXT_CANDIDATES)} | same.get(t, set())
                   for t in target_ids}
    texts = _Texts(_report_texts(set(target_ids) | {c for s in shortlisted.values() for c in s}))
    findings = []
    for v in targets:
        if not texts.norm(v.case_id):
            continue
        threshold = percent_for(v.fiscal_year) / 100
        match = _closest(texts, v.case_id, shortlisted[v.case_id], threshold)
        if match:
            findings.append(Finding(v.case_id, AnomalyFlag.Kind.TEXT, "text", match[0], _(
                "支援報告の本文が派遣#%(other)sの報告と%(percent)d%%一致しています（%(threshold)d%%以上で確認）。"
            ) % {"other": match[0], "percent": int(match[1] * 100), "threshold": percent_for(v.fiscal_year)}))
    return findings


def scan(case_ids):
    """Check the given cases and store what is found; returns the number of open flags among them."""
    case_ids = sorted(set(case_ids))
    if not case_ids:
        return 0
    settings_cache = {}

    def year(fy):
        if fy not in settings_cache:
            settings_cache[fy] = settings_for_year(fy)
        return settings_cache[fy]

    with translation.override("ja"):
        for chunk in _chunks(case_ids):
            targets = _visits(DispatchCase.objects.filter(pk__in=chunk))
            findings = _visit_findings(targets, lambda fy: year(fy).travel_speed_kmh)
            findings += _pair_findings(targets, lambda fy: year(fy).pair_visits_threshold)
            findings += _text_findings(targets, lambda fy: year(fy).similarity_percent)
            _store(chunk, findings)
    return AnomalyFlag.objects.filter(case_id__in=case_ids, status=AnomalyFlag.Status.OPEN).count()


def unchecked(case_ids):
    """The cases not checked since they last changed state (i.e. since they were verified)."""
    stale = []
    for chunk in _chunks(sorted(set(case_ids))):
        checked = dict(AnomalyCheck.objects.filter(case_id__in=chunk).values_list("case_id", "checked_at"))
        for case_id, changed in DispatchCase.objects.filter(pk__in=chunk).values_list("pk", "step_started_at"):
            if case_id not in checked or checked[case_id] < changed:
                stale.append(case_id)
    return stale


@transaction.atomic
def _store(case_ids, findings):
    found = {(f.case_id, f.key): f for f in findings}
    existing = {(f.case_id, f.key): f for f in AnomalyFlag.objects.filter(case_id__in=case_ids)}
    gone = [f.pk for k, f in existing.items() if k not in found and f.status == AnomalyFlag.Status.OPEN]
    AnomalyFlag.objects.filter(pk__in=gone).delete()
    changed = []
    for k, f in existing.items():
        if k in found and f.status == AnomalyFlag.Status.OPEN and f.reason != found[k].reason:
            f.reason = found[k].reason
            changed.append(f)
    AnomalyFlag.objects.bulk_update(changed, ["reason"])
    AnomalyFlag.objects.bulk_create([
        AnomalyFlag(case_id=f.case_id, kind=f.kind, key=f.key, related_case_id=f.related_case_id, reason=f.reason)
        for k, f in found.items() if k not in existing
    ], ignore_conflicts=True)
    now = timezone.now()
    AnomalyCheck.objects.bulk_create([AnomalyCheck(case_id=pk, checked_at=now) for pk in case_ids],
                                     update_conflicts=True, unique_fields=["case"], update_fields=["checked_at"])
