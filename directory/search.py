"""Expert search: the full-text index (SQLite FTS5 / PostgreSQL tsvector) and the public query.

The index is one ExpertSearchDoc row per expert holding normalised tokens (directory/text.py).
`reindex_expert` is called by directory/actions.py after every profile change; `build_documents`
is the bulk path (seed_scale, rebuilds).
"""

import time
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection, transaction

from reference.models import Industry, Prefecture, Qualification, Specialty

from . import text
from .models import ExpertProfile, ExpertQualification, ExpertSearchDoc, ExpertStats
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


def not_public_sql():
    """SQL listing the experts not approved, and its parameters: a short list read from the status index,
    removed from index hits without a join per hit ("status <> ..." would read every profile)."""
    hidden = [s for s in ExpertProfile.Status.values if s != ExpertProfile.Status.APPROVED]
    placeholders = ", ".join(["%s"] * len(hidden))
    return f"SELECT id FROM {ExpertProfile._meta.db_table} WHERE status IN ({placeholders})", hidden


def _fetch_by_index(sql, params):
    """Rows of a query over many index hits. A problem's words together match most documents, and the
    PostgreSQL planner then reads every document testing the words on each; the GIN index gives the same
    rows without testing them (3-4x faster at 20,000 experts), so sequential scans are off for this one
    statement (set back after it: in an outer transaction SET LOCAL would outlive the block; a rollback
    undoes it anyway)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        with transaction.atomic(using=connection.alias):
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cursor.execute("SET LOCAL enable_seqscan = DEFAULT")
        return rows


def best_match_ids(terms, mode, limit, prefecture=None, local_limit=0):
    """([best `local_limit` approved matches covering `prefecture`], [best `limit` approved matches]) as ids,
    each ordered by text rank then id like the public search, from ONE pass over the index: scoring
    every match (bm25 / ts_rank) is most of the cost of a long OR query, so both lists share it."""
    areas = ExpertProfile.areas.through._meta.db_table
    not_public, hidden = not_public_sql()
    if connection.vendor == "postgresql":
        doc = ExpertSearchDoc._meta.db_table
        tsquery, params = _tsquery_expression(terms, mode)
        hits = (
            f"SELECT expert_id AS id, -ts_rank(tsv, {tsquery}) AS rank FROM {doc} "
            f"WHERE tsv @@ {tsquery} AND expert_id NOT IN ({not_public})"
        )
        hit_params = params + params + hidden
    else:
        hits = (
            "SELECT rowid AS id, bm25(directory_expert_fts) AS rank FROM directory_expert_fts "
            f"WHERE directory_expert_fts MATCH %s AND rowid NOT IN ({not_public})"
        )
        hit_params = [_fts5_expression(terms, mode), *hidden]
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
    rows = _fetch_by_index(sql, hit_params + local_params + [limit])
    for is_local, expert_id in rows:
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

REFERENCE_TTL = 60  # seconds; the secretariat's edits to specialties and qualifications show within a minute
_reference = {"at": None, "data": None}


@dataclass(frozen=True)
class ReferenceData:
    """Reference rows by id (all of them, active or not), in their display order."""

    specialties: dict
    industries: dict
    prefectures: dict
    qualifications: dict


def reference_data(refresh=False):
    """Reference data kept in memory briefly: every search shows ~150 filter options and the names on
    20 cards, which would otherwise cost queries and model instances on each request."""
    now = time.monotonic()
    if refresh or _reference["at"] is None or now - _reference["at"] > REFERENCE_TTL:
        _reference["data"] = ReferenceData(
            specialties={s.pk: s for s in Specialty.objects.all()},
            industries={i.pk: i for i in Industry.objects.all()},
            prefectures={p.pk: p for p in Prefecture.objects.all()},
            qualifications={q.pk: q for q in Qualification.objects.all()},
        )
        _reference["at"] = now
    return _reference["data"]


def public_experts():
    return ExpertProfile.objects.filter(status=ExpertProfile.Status.APPROVED)


def filter_experts(queryset, specialty=None, industry=None, prefecture=None, qualification=None, name=""):
    """Combine filters on an ExpertProfile queryset (the recommendation's candidates); each many-to-many
    filter is a subquery, so no row is duplicated. The public search applies the same filters in SQL
    (_filter_lists)."""
    through = ExpertProfile
    if specialty is not None:
        queryset = queryset.filter(
            pk__in=through.specialties.through.objects.filter(specialty_id=specialty.pk).values("expertprofile_id")
        )
    if industry is not None:
        queryset = queryset.filter(
            pk__in=through.industries.through.objects.filter(industry_id__in=_industry_ids(industry))
            .values("expertprofile_id")
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


def _industry_ids(industry):
    """A major division (e.g. 製造業) also finds experts who chose one of its middle divisions. The ids
    as literals: with a nested subquery SQLite scans the whole through table."""
    industries = reference_data().industries
    if industry.pk not in industries:
        industries = reference_data(refresh=True).industries
    return [industry.pk] + [i.pk for i in industries.values() if i.parent_id == industry.pk]


def _filter_lists(specialty=None, industry=None, prefecture=None, qualification=None, name=""):
    """The filters of filter_experts as lists of expert ids, [(table, expert column, condition, params)],
    the usually narrowest first (at national scale ~1,000 experts per prefecture, ~3,000 per specialty)."""
    lists = []
    if prefecture is not None:
        lists.append((ExpertProfile.areas.through._meta.db_table, "expertprofile_id", "prefecture_id = %s", [prefecture.pk]))
    if qualification is not None:
        lists.append((ExpertQualification._meta.db_table, "expert_id", "qualification_id = %s", [qualification.pk]))
    if specialty is not None:
        lists.append((ExpertProfile.specialties.through._meta.db_table, "expertprofile_id", "specialty_id = %s", [specialty.pk]))
    if industry is not None:
        wanted = _industry_ids(industry)
        lists.append((ExpertProfile.industries.through._meta.db_table, "expertprofile_id",
                      f"industry_id IN ({', '.join(['%s'] * len(wanted))})", wanted))
    key = text.name_key(name)
    if key:
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        lists.append((ExpertSearchDoc._meta.db_table, "expert_id", "name_key LIKE %s ESCAPE '\\'", [f"%{escaped}%"]))
    return lists


def id_in_lists(column, lists):
    """SQL conditions putting `column` in each list, and their parameters."""
    conditions, params = [], []
    for table, expert_column, condition, values in lists:
        conditions.append(f"{column} IN (SELECT {expert_column} FROM {table} WHERE {condition})")
        params.extend(values)
    return conditions, params


class ExpertMatches:
    """Approved experts matching the words (all of them; if no expert has all, any of them) and the
    filters, in display order, as a sequence to page through (Paginator-style slicing and count()).

    A slice is one query that ranks the matches, keeps the page's ids and counts every match in the same
    pass (COUNT(*) OVER ()), so a search page costs one ranking, not a count and then a ranking; then
    only the page's experts are loaded. The words rank inside the full-text index itself (no join per
    hit); experts not approved are removed with a list read from the status index.
    """

    def __init__(self, terms, sort=SORT_RELEVANCE, filters=None):
        self.terms, self.sort = terms, sort
        self._lists = _filter_lists(**(filters or {}))
        self.mode = AND
        self.broadened = False
        # With several words, whether every word can be required is known after the first query.
        self._settled = len(terms) < 2
        self._count = None

    # -- SQL

    def _matches_sql(self, mode):
        """SELECT id, rank ...: the approved experts matching, with their text rank (lower is better)."""
        profile, lists = ExpertProfile._meta.db_table, self._lists
        not_public, hidden = not_public_sql()
        if self.terms and connection.vendor == "postgresql":
            tsquery, query_params = _tsquery_expression(self.terms, mode)
            conditions, params = id_in_lists("expert_id", lists)
            where = " AND ".join([f"tsv @@ {tsquery}", f"expert_id NOT IN ({not_public})", *conditions])
            # OFFSET 0 keeps the rank computed here: otherwise it is computed above the caller's window
            # function, which then holds every hit's whole tsvector.
            sql = (f"SELECT expert_id AS id, -ts_rank(tsv, {tsquery}) AS rank FROM {ExpertSearchDoc._meta.db_table} "
                   f"WHERE {where} OFFSET 0")
            return sql, query_params + query_params + hidden + params
        if self.terms:
            # "+rowid": each hit is checked against the lists; SQLite must not probe the index per list entry.
            conditions, params = id_in_lists("+rowid", lists)
            where = " AND ".join(["directory_expert_fts MATCH %s", f"rowid NOT IN ({not_public})", *conditions])
            sql = f"SELECT rowid AS id, bm25(directory_expert_fts) AS rank FROM directory_expert_fts WHERE {where}"
            return sql, [_fts5_expression(self.terms, mode), *hidden, *params]
        # Filters only: the first list drives (not industries: a major division and one of its middle
        # divisions would list an expert twice); without one, the approved profiles do.
        drivers = [item for item in lists if item[0] != ExpertProfile.industries.through._meta.db_table]
        if drivers:
            table, column, condition, values = drivers[0]
            conditions, params = id_in_lists(column, [item for item in lists if item is not drivers[0]])
            where = " AND ".join([condition, f"{column} NOT IN ({not_public})", *conditions])
            return f"SELECT {column} AS id, 0 AS rank FROM {table} WHERE {where}", values + hidden + params
        conditions, params = id_in_lists("id", lists)
        where = " AND ".join(["status = %s", *conditions])
        return f"SELECT id, 0 AS rank FROM {profile} WHERE {where}", [ExpertProfile.Status.APPROVED, *params]

    def _order_sql(self):
        if self.sort == SORT_RATING:
            return "s.rating_average DESC NULLS LAST, s.rating_count DESC NULLS LAST, m.id"
        if self.sort == SORT_ACTIVITY:
            return "s.last_activity_at DESC NULLS LAST, m.id"
        if self.terms:
            return "m.rank, m.id"
        return "s.dispatches_completed DESC NULLS LAST, m.id"

    def _select(self, mode, offset, limit):
        """(ids of the slice in order, number of all matches or None when the slice is empty)."""
        # Every approved expert (no words, no filter: the first visit): counted from the status index
        # apart, since a window count would hold all of them before the page is cut (twice the time).
        if not self.terms and not self._lists:
            ids = self._everyone_by_activity(offset, limit) if self.sort == SORT_RELEVANCE else None
            if ids is None:
                ids = [row[0] for row in self._run(mode, offset, limit, window=False)]
            return ids, self._count if self._count is not None else self._count_matches(mode)
        rows = self._run(mode, offset, limit, window=True)
        if rows:
            return [row[0] for row in rows], rows[0][1]
        return [], (0 if offset == 0 else None)

    def _run(self, mode, offset, limit, window):
        matches, params = self._matches_sql(mode)
        order = self._order_sql()
        stats = f"LEFT JOIN {ExpertStats._meta.db_table} s ON s.expert_id = m.id" if "s." in order else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.id{', COUNT(*) OVER ()' if window else ''} FROM ({matches}) m {stats} "
                f"ORDER BY {order} LIMIT %s OFFSET %s",
                params + [limit, offset],
            )
            return cursor.fetchall()

    def _everyone_by_activity(self, offset, limit):
        """The slice of every approved expert by dispatches completed (the first visit's order) read in
        order from the stats index (directory_expertstats_dispatches), stopping at the slice, instead of
        sorting them all; None past the experts with a stats row (the few without one come last, by id,
        as in the general query, which then answers)."""
        not_public, hidden = not_public_sql()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT expert_id FROM {ExpertStats._meta.db_table} WHERE expert_id NOT IN ({not_public}) "
                "ORDER BY dispatches_completed DESC, expert_id LIMIT %s OFFSET %s",
                hidden + [limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
        return ids if len(ids) == limit else None

    def _count_matches(self, mode):
        matches, params = self._matches_sql(mode)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({matches}) m", params)
            return cursor.fetchone()[0]

    def _broaden(self):
        self.mode, self.broadened, self._settled = OR, True, True

    # -- the sequence

    def count(self):
        if self._count is None:
            count = self._count_matches(self.mode)
            if not self._settled:
                self._settled = True
                if count == 0:
                    self._broaden()
                    count = self._count_matches(self.mode)
            self._count = count
        return self._count

    def __len__(self):
        return self.count()

    def __iter__(self):
        return iter(self[0:self.count()])

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("ExpertMatches supports plain slices only")
        start = key.start or 0
        stop = self.count() if key.stop is None else key.stop
        if stop <= start:
            return []
        ids, total = self._select(self.mode, start, stop - start)
        if not self._settled:
            if total is None:  # past the end, or nothing has every word
                total = self._count_matches(self.mode)
            self._settled = True
            if total == 0:
                self._broaden()
                ids, total = self._select(self.mode, start, stop - start)
        if total is not None:
            self._count = total
        return load_cards(ids)

    def page(self, number, per_page):
        """The page `number` as Paginator.get_page shows it (not a number: the first; out of range: the
        last), in one ranking query when the page exists."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        experts = self[(number - 1) * per_page:number * per_page] if number >= 1 else []
        paginator = Paginator(self, per_page)
        paginator.count = self.count()  # known from the slice unless the page was out of range
        if not experts and number != 1:
            number = paginator.num_pages
            experts = self[(number - 1) * per_page:number * per_page]
        return Page(experts, number, paginator)


@dataclass
class SearchResult:
    experts: ExpertMatches  # ordered, ready to page through
    terms: list

    @property
    def broadened(self):
        """No expert had every word: showing those with any of them."""
        self.experts.count()
        return self.experts.broadened

    @property
    def count(self):
        return self.experts.count()


def search_experts(q="", sort=SORT_RELEVANCE, **filters):
    """Approved experts matching the free text (every word; if none has all, any word) and filters."""
    terms = text.query_terms(q)
    return SearchResult(ExpertMatches(terms, sort, filters), terms)


# In the models' field order, as Model.from_db expects them.
CARD_FIELDS = ("id", "display_name", "display_name_kana", "headline")
CARD_STATS = ("expert_id", "dispatches_completed", "rating_count", "rating_average")


def load_cards(ids):
    """The experts of a result page, in the given order, with only what a card shows (the long texts,
    bio and career, stay in the database) and their measured facts (`stats`, as select_related gives
    them). One plain query: building the ORM query cost twice the query itself."""
    if not ids:
        return []
    columns = [f"p.{f}" for f in CARD_FIELDS] + [f"s.{f}" for f in CARD_STATS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {ExpertProfile._meta.db_table} p "
            f"LEFT JOIN {ExpertStats._meta.db_table} s ON s.expert_id = p.id WHERE p.id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        rows = cursor.fetchall()
    experts, stats_relation, width = {}, ExpertProfile.stats.related, len(CARD_FIELDS)
    for row in rows:
        expert = ExpertProfile.from_db(connection.alias, CARD_FIELDS, row[:width])
        stats = ExpertStats.from_db(connection.alias, CARD_STATS, row[width:]) if row[width] is not None else None
        stats_relation.set_cached_value(expert, stats)  # None: no row, and no query when asked
        experts[expert.pk] = expert
    return [experts[pk] for pk in ids if pk in experts]


def attach_card_details(experts, industries=False):
    """Give each expert of a result page the names its card lists (card_specialties, card_areas,
    card_qualifications as (name, verified), and with `industries` card_industries): one flat query for
    the page, names from reference data."""
    experts = list(experts)
    by_id = {e.pk: e for e in experts}
    for e in experts:
        e.card_specialties, e.card_areas, e.card_qualifications, e.card_industries = [], [], [], []
    if not by_id:
        return experts
    placeholders = ", ".join(["%s"] * len(by_id))
    specialties, areas = ExpertProfile.specialties.through._meta.db_table, ExpertProfile.areas.through._meta.db_table
    qualifications = ExpertQualification._meta.db_table
    sql = (
        f"SELECT 's', expertprofile_id, specialty_id, NULL, 0, 0 FROM {specialties} WHERE expertprofile_id IN ({placeholders}) "
        f"UNION ALL SELECT 'a', expertprofile_id, NULL, prefecture_id, 0, 0 FROM {areas} WHERE expertprofile_id IN ({placeholders}) "
        f"UNION ALL SELECT 'q', expert_id, qualification_id, NULL, id, CASE WHEN verified_at IS NULL THEN 0 ELSE 1 END "
        f"FROM {qualifications} WHERE expert_id IN ({placeholders})"
    )
    if industries:
        sql += (f" UNION ALL SELECT 'i', expertprofile_id, industry_id, NULL, 0, 0 "
                f"FROM {ExpertProfile.industries.through._meta.db_table} WHERE expertprofile_id IN ({placeholders})")
    with connection.cursor() as cursor:
        cursor.execute(sql, list(by_id) * (4 if industries else 3))
        rows = cursor.fetchall()
    ref = reference_data()
    known = {"s": ref.specialties, "a": ref.prefectures, "q": ref.qualifications, "i": ref.industries}
    if any((row[3] if row[0] == "a" else row[2]) not in known[row[0]] for row in rows):
        ref = reference_data(refresh=True)  # created since the copy was taken
    chosen = {"s": {}, "a": {}, "q": {}, "i": {}}
    for kind, expert_id, ref_id, code, row_id, verified in rows:
        chosen[kind].setdefault(expert_id, []).append((ref_id, code, row_id, verified))
    for expert_id, expert in by_id.items():
        # Display orders as on the expert's page: specialties by their sort order, areas by prefecture
        # code, qualifications as registered.
        picked = sorted(chosen["s"].get(expert_id, []), key=lambda r: (ref.specialties[r[0]].sort_order, r[0]))
        expert.card_specialties = [ref.specialties[r[0]].name for r in picked]
        expert.card_areas = [ref.prefectures[r[1]].name for r in sorted(chosen["a"].get(expert_id, []), key=lambda r: r[1])]
        expert.card_qualifications = [(ref.qualifications[r[0]].name, r[3] == 1)
                                      for r in sorted(chosen["q"].get(expert_id, []), key=lambda r: r[2])]
        picked = sorted(chosen["i"].get(expert_id, []), key=lambda r: (ref.industries[r[0]].sort_key, r[0]))
        expert.card_industries = [ref.industries[r[0]].name for r in picked]
    return experts
