"""Reproducible sampling: the same seed gives the same sample, on any machine and in any order.

Surveys: each record is in or out by a hash of (seed, kind, id), so the rate holds per record and a
re-run decides the same. Audits: a fixed share of each centre's records (stratified by centre), drawn
by random.Random seeded with (seed, centre, kind) over the ids in ascending order.
"""

import hashlib
import math
import random

from django.db import transaction
from django.utils.translation import gettext as _

from consultations.models import Consultation
from core import audit
from core.dates import fiscal_year_range
from dispatch.models import DispatchCase, State

from .models import AuditSample, AuditSampleItem, SourceKind

SCALE = 10_000  # rates in hundredths of a percent


def in_sample(seed, kind, source_id, percent):
    digest = hashlib.sha256(f"{seed}:{kind}:{source_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % SCALE < percent * SCALE // 100


def stratified(ids_by_centre, percent, seed, kind):
    """{centre: [ids]} → sorted [(centre, id)]: ceil(percent %) of each centre's records, at least one."""
    chosen = []
    for centre in sorted(ids_by_centre):
        ids = sorted(ids_by_centre[centre])
        k = min(len(ids), max(1, math.ceil(len(ids) * percent / 100)))
        rng = random.Random(f"{seed}:{centre}:{kind}")
        chosen.extend((centre, pk) for pk in sorted(rng.sample(ids, k)))
    return chosen


def population(fy, include_consultations=True, include_dispatches=True):
    """{kind: {centre id: [record ids]}} of the year's case records at the centres."""
    from .access import CENTRE

    first, last = fiscal_year_range(fy)
    result = {}
    if include_consultations:
        rows = Consultation.objects.filter(organisation__kind=CENTRE, held_on__range=(first, last)).values_list(
            "organisation_id", "pk").order_by()
        result[SourceKind.CONSULTATION] = _group(rows)
    if include_dispatches:
        rows = DispatchCase.objects.filter(organisation__kind=CENTRE, fiscal_year=fy).exclude(
            state__in=[State.DRAFT, State.CANCELLED]).values_list("organisation_id", "pk").order_by()
        result[SourceKind.DISPATCH] = _group(rows)
    return result


def _group(rows):
    grouped = {}
    for centre, pk in rows:
        grouped.setdefault(centre, []).append(pk)
    return grouped


@transaction.atomic
def draw_audit_sample(actor, fy, percent, seed, include_consultations=True, include_dispatches=True, request=None):
    from .access import is_national
    from .actions import Refused, _require

    _require(is_national(actor))
    if not (include_consultations or include_dispatches):
        raise Refused(_("抽出の対象（経営相談・専門家派遣）を1つ以上選んでください。"))
    if not 1 <= percent <= 100:
        raise Refused(_("抽出率は1〜100％で指定してください。"))
    groups = population(fy, include_consultations, include_dispatches)
    sample = AuditSample.objects.create(
        fiscal_year=fy, percent=percent, seed=seed, include_consultations=include_consultations,
        include_dispatches=include_dispatches, created_by=actor,
        population=sum(len(ids) for by_centre in groups.values() for ids in by_centre.values()),
    )
    items = [
        AuditSampleItem(sample=sample, organisation_id=centre, source_kind=kind, source_id=pk)
        for kind, by_centre in groups.items() for centre, pk in stratified(by_centre, percent, seed, kind)
    ]
    AuditSampleItem.objects.bulk_create(items, batch_size=2000)
    audit.record(actor, "governance.audit_sample_drawn", sample, {"items": len(items), "seed": seed, "percent": percent},
                 request=request)
    return sample
