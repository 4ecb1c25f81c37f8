"""Explainable expert recommendation for a written problem (課題), a prefecture and an industry.

`recommend_experts` returns [(expert, score, reasons)], best first. The score is a plain sum of
points, each with a reason a coordinator can read, so the ranking can be explained and is
deterministic (ties broken by expert id). A fixed number of queries whatever the data size:
specialties, up to three candidate queries (bounded by CANDIDATES), the candidates' details as plain
values, then the winners as model objects.
"""

import math
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.utils.translation import gettext as _

from reference.models import Industry, Specialty

from . import search, text
from .models import ExpertProfile, ExpertSearchDoc, ExpertStats

CANDIDATES = 200  # per candidate query; the final list is cut to `limit`

POINTS_TEXT = 40  # all of the problem's words found in the profile
POINTS_SPECIALTY = 15  # per specialty whose keywords the problem uses (at most two count)
POINTS_AREA = 20
POINTS_BASE = 5
POINTS_INDUSTRY = 10
POINTS_RATING = 5  # per star above 3 (Bayesian average)
POINTS_EXPERIENCE = 5  # at most, growing with log2(completed dispatches)
PENALTY_LOAD = 3  # per open dispatch, at most 5 counted
RATING_PRIOR_MEAN, RATING_PRIOR_WEIGHT = 3.5, 5


@dataclass(frozen=True)
class Reason:
    kind: str  # text, specialty, area, base, industry, rating, experience, load
    label: str
    points: float

    def __str__(self):
        return self.label


def _specialty_matches(words):
    """{specialty: matched words} for specialties whose name or keywords the problem uses."""
    matches = {}
    wanted = set(words)
    for specialty in Specialty.objects.filter(is_active=True):
        hit = wanted & set(text.index_tokens(specialty.name, specialty.keywords))
        if hit:
            matches[specialty] = sorted(hit, key=words.index)
    return matches


def _best_rated_ids(prefecture, specialties):
    """Up to CANDIDATES approved experts covering the prefecture (if given) with one of the specialties
    (if any), best rated first: ids from the many-to-many tables, the experts not approved removed as a
    list (no profile read per expert)."""
    lists = []
    if specialties:
        placeholders = ", ".join(["%s"] * len(specialties))
        lists.append((ExpertProfile.specialties.through._meta.db_table, "expertprofile_id",
                      f"specialty_id IN ({placeholders})", [s.pk for s in specialties]))
    not_public, hidden = search.not_public_sql()
    if prefecture is not None:  # one row per expert: the prefecture's list drives
        conditions, params = search.id_in_lists("a.expertprofile_id", lists)
        where = " AND ".join(["a.prefecture_id = %s", f"a.expertprofile_id NOT IN ({not_public})", *conditions])
        experts = f"SELECT a.expertprofile_id AS id FROM {ExpertProfile.areas.through._meta.db_table} a WHERE {where}"
        params = [prefecture.pk, *hidden, *params]
    else:
        conditions, params = search.id_in_lists("p.id", lists)
        where = " AND ".join(["p.status = %s", *conditions])
        experts = f"SELECT p.id FROM {ExpertProfile._meta.db_table} p WHERE {where}"
        params = [ExpertProfile.Status.APPROVED, *params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.id FROM ({experts}) e LEFT JOIN {ExpertStats._meta.db_table} s ON s.expert_id = e.id "
            "ORDER BY s.rating_average DESC NULLS LAST, e.id LIMIT %s",
            params + [CANDIDATES],
        )
        return [row[0] for row in cursor.fetchall()]


def _candidate_ids(words, prefecture, specialty_matches):
    ids = []
    if words:
        terms = [[[w]] for w in words]
        # The best local matches and, since someone elsewhere may fit far better than anyone local (Web
        # meetings exist), the best national ones: one pass over the index for both.
        if prefecture is None:  # local is national: its best CANDIDATES include the best CANDIDATES // 4
            ids += search.best_match_ids(terms, search.OR, CANDIDATES)[1]
        else:
            local_ids, national_ids = search.best_match_ids(
                terms, search.OR, CANDIDATES // 4, prefecture=prefecture, local_limit=CANDIDATES
            )
            ids += local_ids + national_ids
    if specialty_matches or not words:
        ids += _best_rated_ids(prefecture, list(specialty_matches))
    return list(dict.fromkeys(ids))


def _rating_points(stats):
    if stats is None or not stats.rating_count:
        return None
    bayes = (stats.rating_sum + RATING_PRIOR_MEAN * RATING_PRIOR_WEIGHT) / (stats.rating_count + RATING_PRIOR_WEIGHT)
    return round((bayes - 3) * POINTS_RATING, 1)


class _Stats(NamedTuple):
    """The ExpertStats fields scoring reads, as a plain tuple (no model instance per candidate)."""

    dispatches_completed: int
    open_dispatches: int
    rating_sum: int
    rating_count: int
    rating_average: float | None


@dataclass
class _Candidate:
    """What scoring needs of an expert, read as plain values (hundreds of candidates per call)."""

    pk: int
    base_prefecture_id: str
    tokens: set  # the problem's words found in the profile
    stats: _Stats | None
    specialties: set = field(default_factory=set)
    industries: set = field(default_factory=set)
    areas: set = field(default_factory=set)


def _load_candidates(ids, words):
    """Candidates with the problem's words found, stats and category ids in two flat queries (no model per row).
    Plain SQL: building an ORM filter over hundreds of ids cost more than running it."""
    if not ids:
        return []
    placeholders = ", ".join(["%s"] * len(ids))
    profile, doc, stats = (m._meta.db_table for m in (ExpertProfile, ExpertSearchDoc, ExpertStats))
    stat_columns = ", ".join(f"s.{f}" for f in _Stats._fields)
    # Which of the problem's words each profile's index tokens hold (space-separated, none containing a
    # space), tested in the database: the tokens themselves (~1 kB per candidate) stay there.
    position = "strpos" if connection.vendor == "postgresql" else "instr"
    found = "".join(f", {position}(' ' || d.tokens || ' ', %s) > 0" for _ in words)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, p.base_prefecture_id, s.expert_id, {stat_columns}{found} FROM {profile} p "
            f"LEFT JOIN {doc} d ON d.expert_id = p.id LEFT JOIN {stats} s ON s.expert_id = p.id "
            f"WHERE p.id IN ({placeholders})",
            [f" {w} " for w in words] + ids,
        )
        width = len(_Stats._fields)
        candidates = {}
        for pk, base, has_stats, *values in cursor.fetchall():
            stats_values, flags = values[:width], values[width:]
            candidates[pk] = _Candidate(pk, base, {w for w, hit in zip(words, flags) if hit},
                                        _Stats(*stats_values) if has_stats else None)
        # The three category lists in one query (one round trip, not three).
        specialties, industries, areas = (
            getattr(ExpertProfile, relation).through._meta.db_table for relation in ("specialties", "industries", "areas")
        )
        cursor.execute(
            f"SELECT 's', expertprofile_id, specialty_id, NULL FROM {specialties} WHERE expertprofile_id IN ({placeholders}) "
            f"UNION ALL SELECT 'i', expertprofile_id, industry_id, NULL FROM {industries} WHERE expertprofile_id IN ({placeholders}) "
            f"UNION ALL SELECT 'a', expertprofile_id, NULL, prefecture_id FROM {areas} WHERE expertprofile_id IN ({placeholders})",
            ids * 3,
        )
        for kind, expert_id, category_id, code in cursor.fetchall():
            candidate = candidates[expert_id]
            if kind == "a":
                candidate.areas.add(code)
            else:
                (candidate.specialties if kind == "s" else candidate.industries).add(category_id)
    return list(candidates.values())


def _score(expert, words, prefecture, industry, specialty_matches, industries):
    """(score, facts): each fact (kind, points, what it is about). Labels are written only for the
    experts shown (`_reasons`): hundreds of candidates are scored per call."""
    facts = []
    found = [w for w in words if w in expert.tokens]
    if found:
        facts.append(("text", round(POINTS_TEXT * len(found) / len(words), 1), found))
    matched = [s for s in specialty_matches if s.pk in expert.specialties]
    if matched:
        facts.append(("specialty", POINTS_SPECIALTY * min(2, len(matched)), matched))
    if prefecture:
        inside = prefecture.pk in expert.areas
        facts.append(("area", POINTS_AREA if inside else 0, inside))
        if expert.base_prefecture_id == prefecture.pk:
            facts.append(("base", POINTS_BASE, None))
    if industry:
        related = {industry.pk, industry.parent_id}
        hit = [industries[i] for i in sorted(expert.industries)
               if i in related or industries[i].parent_id == industry.pk]
        if hit:
            facts.append(("industry", POINTS_INDUSTRY, hit[0]))
    stats = expert.stats
    rating = _rating_points(stats)
    if rating is not None:
        facts.append(("rating", rating, stats))
    if stats and stats.dispatches_completed:
        facts.append(("experience", round(min(POINTS_EXPERIENCE, math.log2(1 + stats.dispatches_completed)), 1), stats))
    if stats and stats.open_dispatches:
        facts.append(("load", -PENALTY_LOAD * min(5, stats.open_dispatches), stats))
    return round(sum(points for _kind, points, _about in facts), 1), facts


def _label(kind, about, prefecture):
    if kind == "text":
        return _("一致した語: %(words)s") % {"words": _("、").join(about)}
    if kind == "specialty":
        return _("専門分野が一致: %(names)s") % {"names": _("、").join(s.name for s in about)}
    if kind == "area":
        if about:
            return _("対応地域: %(prefecture)s") % {"prefecture": prefecture.name}
        return _("%(prefecture)sは対応地域外") % {"prefecture": prefecture.name}
    if kind == "base":
        return _("活動拠点が%(prefecture)s") % {"prefecture": prefecture.name}
    if kind == "industry":
        return _("得意業種: %(industry)s") % {"industry": about.name}
    if kind == "rating":
        return _("評価 %(average).1f（%(count)s件）") % {"average": about.rating_average, "count": about.rating_count}
    if kind == "experience":
        return _("派遣実績 %(count)s件") % {"count": about.dispatches_completed}
    return _("対応中の派遣 %(count)s件") % {"count": about.open_dispatches}


def _reasons(facts, prefecture):
    return [Reason(kind, _label(kind, about, prefecture), points) for kind, points, about in facts]


def recommend_experts(text_, prefecture=None, industry=None, limit=10):
    """Rank approved experts for a problem text; returns [(expert, score, [Reason, ...])], best first."""
    words = text.query_words(text_ or "")
    specialty_matches = _specialty_matches(words)
    ids = _candidate_ids(words, prefecture, specialty_matches)
    industries = {i.pk: i for i in Industry.objects.all()} if industry else {}
    scored = []
    for candidate in _load_candidates(ids, words):
        score, facts = _score(candidate, words, prefecture, industry, specialty_matches, industries)
        scored.append((candidate.pk, score, facts))
    scored.sort(key=lambda item: (-item[1], item[0]))
    top = scored[:limit]
    experts = ExpertProfile.objects.select_related("stats", "base_prefecture").in_bulk([pk for pk, _s, _f in top])
    return [(experts[pk], score, _reasons(facts, prefecture)) for pk, score, facts in top]
