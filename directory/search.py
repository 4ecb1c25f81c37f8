"""Expert search: the full-text index (SQLite FTS5 / PostgreSQL tsvector) and the public query.

The index is one ExpertSearchDoc row per expert holding normalised tokens (directory/text.py).
`reindex_expert` is called by directory/actions.py after every profile change; `build_documents`
is the bulk path (seed_scale, rebuilds).
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q

from reference.models import Industry

from . import text
from .models import ExpertProfile, ExpertQualification, ExpertSearchDoc
from .stats import ensure_stats

AND, OR = "and", "or"
SORT_RELEVANCE, SORT_RATING, SORT_ACTIVITY = "relevance", "rating", "activity"


# --- indexing -------------------------------------------------------------------------------------

def document_texts(expert, specialties, industries, qualifications):
    """What of a profile is searchable: names, free text and the names of chosen categories."""
    return [
        expert.display_name,
        expert.display_name_kana,
        expert.headline,
        expert.bio,
        expert.career,
        "。".join(specialties),
        "。".join(industries),
        "。".join(qualifications),
    ]


def make_document(expert, specialties, industries, qualifications):
    tokens = text.index_tokens(*document_texts(expert, specialties, industries, qualifications))
    return ExpertSearchDoc(
        expert_id=expert.pk,
        tokens=" ".join(tokens),
        name_key=text.name_key(expert.display_name, expert.display_name_kana)[:130],
    )


def reindex_expert(expert_id):
    """Rebuild one expert's index row (called inside the action's transaction)."""
    expert = ExpertProfile.objects.prefetch_related(
        "specialties", "industries", "qualifications__qualification"
    ).get(pk=expert_id)
    doc = make_document(
        expert,
        [s.name for s in expert.specialties.all()],
        [i.name for i in expert.industries.all()],
        [q.qualification.name for q in expert.qualifications.all()],
    )
    ExpertSearchDoc.objects.update_or_create(
        expert_id=expert.pk, defaults={"tokens": doc.tokens, "name_key": doc.name_key}
    )
    ensure_stats([expert.pk])
    return doc


def build_documents(batch_size=1000):
    """Rebuild the whole index in batches with bulk inserts (a few queries per batch)."""
    ids = list(ExpertProfile.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        experts = ExpertProfile.objects.filter(pk__in=chunk).prefetch_related(
            "specialties", "industries", "qualifications__qualification"
        )
        docs = [
            make_document(
                e,
                [s.name for s in e.specialties.all()],
                [i.name for i in e.industries.all()],
                [q.qualification.name for q in e.qualifications.all()],
            )
            for e in experts
        ]
        ExpertSearchDoc.objects.filter(expert_id__in=chunk).delete()
        ExpertSearchDoc.objects.bulk_create(docs, batch_size=batch_size)
        ensure_stats(chunk)
    return len(ids)


# --- querying the index ---------------------------------------------------------------------------

def _fts5_expression(terms, mode):
    def token(word):
        return '"' + word.replace('"', '""') + '"'

    parts = []
    for alternatives in terms:
        options = ["(" + " AND ".join(token(w) for w in alt) + ")" for alt in alternatives]
        parts.append("(" + " OR ".join(options) + ")")
    return f" {mode.upper()} ".join(parts)


def _tsquery_expression(terms, mode):
    """SQL for a tsquery plus its parameters; each word goes through plainto_tsquery('simple')."""
    sql_terms, params = [], []
    for alternatives in terms:
        options = []
        for alt in alternatives:
            options.append("(" + " && ".join("plainto_tsquery('simple', %s)" for _ in alt) + ")")
            params.extend(alt)
        sql_terms.append("(" + " || ".join(options) + ")")
    joiner = " && " if mode == AND else " || "
    return "(" + joiner.join(sql_terms) + ")", params


def match_experts(queryset, terms, mode=AND):
    """Restrict an ExpertProfile queryset to index matches and annotate `fts_rank` (lower is better)."""
    profile = ExpertProfile._meta.db_table
    if connection.vendor == "postgresql":
        doc = ExpertSearchDoc._meta.db_table
        tsquery, params = _tsquery_expression(terms, mode)
        return queryset.extra(
            tables=[doc],
            where=[f"{doc}.expert_id = {profile}.id", f"{doc}.tsv @@ {tsquery}"],
            params=params,
            select={"fts_rank": f"-ts_rank({doc}.tsv, {tsquery})"},
            select_params=params,
        )
    return queryset.extra(
        tables=["directory_expert_fts"],
        # "+rowid" keeps SQLite from probing the FTS table once per profile row: the match drives the
        # join and each hit looks up its profile by primary key (100× faster at 20,000 experts).
        where=[f"{profile}.id = +directory_expert_fts.rowid", "directory_expert_fts MATCH %s"],
        params=[_fts5_expression(terms, mode)],
        select={"fts_rank": "bm25(directory_expert_fts)"},
    )


def best_match_ids(terms, mode, limit, prefecture=None, local_limit=0):
    """([best `local_limit` approved matches covering `prefecture`], [best `limit` approved matches]) as ids,
    each ordered like match_experts(...).order_by("fts_rank", "pk"), from ONE pass over the index: scoring
    every match (bm25 / ts_rank) is most of the cost of a long OR query, so both lists share it."""
    profile = ExpertProfile._meta.db_table
    areas = ExpertProfile.areas.through._meta.db_table
    if connection.vendor == "postgresql":
        doc = ExpertSearchDoc._meta.db_table
        tsquery, params = _tsquery_expression(terms, mode)
        hits = (
            f"SELECT {doc}.expert_id AS id, -ts_rank({doc}.tsv, {tsquery}) AS rank FROM {doc} "
            f"JOIN {profile} ON {profile}.id = {doc}.expert_id WHERE {doc}.tsv @@ {tsquery} AND {profile}.status = %s"
        )
        hit_params = params + params + [ExpertProfile.Status.APPROVED]
    else:
        hits = (
            "SELECT directory_expert_fts.rowid AS id, bm25(directory_expert_fts) AS rank FROM directory_expert_fts "
            f"JOIN {profile} ON {profile}.id = +directory_expert_fts.rowid "
            f"WHERE directory_expert_fts MATCH %s AND {profile}.status = %s"
        )
        hit_params = [_fts5_expression(terms, mode), ExpertProfile.Status.APPROVED]
    local_sql, local_params = "SELECT 1, NULL WHERE 1 = 0", []
    if prefecture is not None and local_limit:
        local_sql = (
            f"SELECT * FROM (SELECT 1 AS local, id FROM hits WHERE id IN "
            f"(SELECT expertprofile_id FROM {areas} WHERE prefecture_id = %s) ORDER BY rank, id LIMIT %s) AS l"
        )
        local_params = [prefecture.pk, local_limit]
    sql = (
        f"WITH hits AS MATERIALIZED ({hits}) {local_sql} UNION ALL "
        f"SELECT * FROM (SELECT 0 AS local, id FROM hits ORDER BY rank, id LIMIT %s) AS g"
    )
    local_ids, all_ids = [], []
    with connection.cursor() as cursor:
        cursor.execute(sql, hit_params + local_params + [limit])
        for is_local, expert_id in cursor.fetchall():
            (local_ids if is_local else all_ids).append(expert_id)
    return local_ids, all_ids


def raw_fts_ids(terms, mode=AND, limit=20):
    """The bare full-text query (benchmark reference): matching expert ids, best first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery, params = _tsquery_expression(terms, mode)
            cursor.execute(
                f"SELECT expert_id FROM directory_expertsearchdoc WHERE tsv @@ {tsquery} "
                f"ORDER BY ts_rank(tsv, {tsquery}) DESC LIMIT %s",
                params + params + [limit],
            )
        else:
            cursor.execute(
                "SELECT rowid FROM directory_expert_fts WHERE directory_expert_fts MATCH %s ORDER BY rank LIMIT %s",
                [_fts5_expression(terms, mode), limit],
            )
        return [row[0] for row in cursor.fetchall()]


# --- the public search ----------------------------------------------------------------------------

@dataclass
class SearchResult:
    experts: object  # queryset, ordered, ready to paginate
    terms: list
    broadened: bool = False  # no expert had every word: showing those with any of them
    count: int | None = None  # already counted (text searches), so the paginator need not count again


def public_experts():
    return ExpertProfile.objects.filter(status=ExpertProfile.Status.APPROVED)


def filter_experts(queryset, specialty=None, industry=None, prefecture=None, qualification=None, name=""):
    """Combine filters; each many-to-many filter is a subquery, so no row is duplicated."""
    through = ExpertProfile
    if specialty is not None:
        queryset = queryset.filter(
            pk__in=through.specialties.through.objects.filter(specialty_id=specialty.pk).values("expertprofile_id")
        )
    if industry is not None:
        # A major division (e.g. 製造業) also finds experts who chose one of its middle divisions.
        # The ids as literals (one tiny query): with a nested subquery SQLite scans the whole through table.
        wanted = list(Industry.objects.filter(Q(pk=industry.pk) | Q(parent_id=industry.pk)).values_list("pk", flat=True))
        queryset = queryset.filter(
            pk__in=through.industries.through.objects.filter(industry_id__in=wanted).values("expertprofile_id")
        )
    if prefecture is not None:
        queryset = queryset.filter(
            pk__in=through.areas.through.objects.filter(prefecture_id=prefecture.pk).values("expertprofile_id")
        )
    if qualification is not None:
        queryset = queryset.filter(
            pk__in=ExpertQualification.objects.filter(qualification_id=qualification.pk).values("expert_id")
        )
    key = text.name_key(name)
    if key:
        queryset = queryset.filter(
            pk__in=ExpertSearchDoc.objects.filter(name_key__contains=key).values("expert_id")
        )
    return queryset


def _order(queryset, sort, has_text):
    if sort == SORT_RATING:
        return queryset.order_by(
            F("stats__rating_average").desc(nulls_last=True), F("stats__rating_count").desc(nulls_last=True), "pk"
        )
    if sort == SORT_ACTIVITY:
        return queryset.order_by(F("stats__last_activity_at").desc(nulls_last=True), "pk")
    if has_text:
        return queryset.order_by("fts_rank", "pk")
    return queryset.order_by(F("stats__dispatches_completed").desc(nulls_last=True), "pk")


def search_experts(q="", sort=SORT_RELEVANCE, **filters):
    """Approved experts matching the free text (every word; if none has all, any word) and filters."""
    filtered = filter_experts(public_experts(), **filters)
    terms = text.query_terms(q)
    queryset, broadened, count = filtered, False, None
    if terms:
        queryset = match_experts(filtered, terms, AND)
        count = queryset.count()
        if count == 0 and len(terms) > 1:
            queryset, broadened = match_experts(filtered, terms, OR), True
            count = queryset.count()
    queryset = _order(queryset, sort, bool(terms))
    # Only what a result card shows: the long texts (bio, career) stay in the database.
    queryset = queryset.select_related("stats").only(*CARD_FIELDS)
    return SearchResult(queryset, terms, broadened, count)


CARD_FIELDS = ("display_name", "display_name_kana", "headline",
               "stats__dispatches_completed", "stats__rating_count", "stats__rating_average")


def attach_card_details(experts):
    """Give each expert of a result page the names its card lists (card_specialties, card_areas,
    card_qualifications as (name, verified)): three flat queries for the page, no model per name."""
    experts = list(experts)
    by_id = {e.pk: e for e in experts}
    for e in experts:
        e.card_specialties, e.card_areas, e.card_qualifications = [], [], []
    if not by_id:
        return experts
    specialties = (
        ExpertProfile.specialties.through.objects.filter(expertprofile_id__in=by_id)
        .order_by("specialty__sort_order", "specialty_id").values_list("expertprofile_id", "specialty__name")
    )
    for expert_id, name in specialties:
        by_id[expert_id].card_specialties.append(name)
    areas = (
        ExpertProfile.areas.through.objects.filter(expertprofile_id__in=by_id)
        .order_by("prefecture_id").values_list("expertprofile_id", "prefecture__name")
    )
    for expert_id, name in areas:
        by_id[expert_id].card_areas.append(name)
    qualifications = (
        ExpertQualification.objects.filter(expert_id__in=by_id)
        .order_by("pk").values_list("expert_id", "qualification__name", "verified_at")
    )
    for expert_id, name, verified_at in qualifications:
        by_id[expert_id].card_qualifications.append((name, verified_at is not None))
    return experts
