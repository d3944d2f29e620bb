"""The speed tricks of the list pages, each confined to the reader it serves.

- ``narrow``: the text match resolved once to its candidate rows, which the other
  filters then test and the facets count in memory (one query instead of a text
  scan and a grouped query per facet); reference: the SQL path (tests).
- ``ids_in_order``: ids read through the raw cursor, without the ORM's per-row cost.
- ``PageReader``: a page's ids cached per filters, sort and language; with the rows of
  the text match in memory and a sort an index gives (``Sort.indexed``), taken from
  the order of every published row (one index scan shared by every search); and the
  HTML of its cards cached alike (``PageRows.rendered``), so that a page seen before
  reads no row and renders no card.
"""

import json
from functools import cached_property
from operator import itemgetter

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .facets import ManyToManyFacet

# Up to this many matches, the text match is resolved to rows held in memory, which
# keeps the number of queries of a list page the same whatever the data size.
# Measured at 20,000 organizations: 4,605 matches are 1.5x (SQLite) to 2.6x
# (PostgreSQL) faster than the SQL path; a q matching all 19,000 is about 1.5-2x slower.
# Past the limit (a memory bound) the SQL path runs, with two or three more queries.
MAX_MATCHED_IDS = 50_000
# Rows of the matching query (one per row and many-to-many value) read at most:
# a broader match stops early and falls back to the SQL path.
MAX_MATCHED_ROWS = 3 * MAX_MATCHED_IDS


def ids_condition(ids: list[int], connection) -> Q:
    """``pk IN ids`` as one parameter: Django would prepare each of thousands of ids."""
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [list(ids)]))
    if connection.vendor == "sqlite" and connection.features.supports_json_field:
        return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))]))
    return Q(pk__in=list(ids))


def _rows(values_list) -> tuple[list[str], list[tuple]]:
    """The column names and rows of a ``values_list``, read through the cursor (Django
    may select the columns in another order than asked: read them by name)."""
    sql, params = values_list.query.sql_with_params()
    with connections[values_list.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [column[0] for column in cursor.description], cursor.fetchall()


def ids_in_order(ids) -> list[int]:
    """The ids of a ``values_list("pk")`` in its order, read through the cursor."""
    return [row[0] for row in _rows(ids)[1]]


class Narrowed:
    """The text match's rows filtered and counted in memory, in one pass.

    A row that passes every filter is a result and counts in every facet; a row that
    fails exactly one filter counts only in that filter's facet (a disjunctive
    count: each facet with the other filters applied) unless the facet counts with its
    own filter too (``own``: "all of" mode); any other row counts nowhere.
    ``counts`` are keyed as the SQL counts are, with ``total``.
    """

    def __init__(
        self, candidates: dict[int, list], facets, tests: dict[int, object], lookups, own=()
    ):
        self.ids: list[int] = []
        passed, failed_only = [], {i: [] for i in range(len(facets))}
        for pk, row in candidates.items():
            failed = None
            for i, test in tests.items():
                if not test(row[i]):
                    if failed is not None:
                        break
                    failed = i
            else:
                if failed is None:
                    self.ids.append(pk)
                    passed.append(row)
                else:
                    failed_only[failed].append(row)
        self.counts: dict = {"total": len(self.ids)}
        for i, facet in enumerate(facets):
            rows = passed + failed_only[i] if failed_only[i] and i not in own else passed
            self.counts[facet.name] = facet.row_counts((row[i] for row in rows), lookups)


def narrow(filterset, base, text) -> Narrowed | None:
    """The rows of ``base`` that match the text facet, narrowed by every other facet in
    memory; None when the match is too broad to hold.

    The candidates are read through the cursor: the ORM's per-row iterators (and
    modeltranslation's wrapper around them) cost more than the query."""
    facets = [f for f in filterset.facets if f.candidate_column]
    many = [i for i, f in enumerate(facets) if isinstance(f, ManyToManyFacet)]
    condition = text.condition(filterset.q, connections[base.db])
    columns = ("pk", *(f.candidate_column for f in facets))
    # A filter with nothing to count (a typed year) narrows the rows read, in SQL.
    in_sql = {f.name for f in filterset.facets if not f.counted and f is not text}
    matching = filterset.filter(
        base.filter(condition), exclude={f.name for f in filterset.facets} - in_sql
    )
    matching = matching.order_by().values_list(*columns)
    names, found = _rows(matching[: MAX_MATCHED_ROWS + 1])
    pk_at, *at = map(names.index, columns)
    facet_values = itemgetter(*at) if len(at) > 1 else lambda values: [values[i] for i in at]
    # The rows are read where they are, not remade in another order: every container
    # made per row that outlives the loop costs the cycle collector on a broad match.
    candidates: dict[int, list] = {}
    for values in found:
        row = candidates.get(values[pk_at])
        if row is None:
            row = candidates[values[pk_at]] = list(facet_values(values))
            for i in many:
                row[i] = set()
        for i in many:
            if values[at[i]] is not None:
                row[i].add(values[at[i]])
    if len(found) > MAX_MATCHED_ROWS or len(candidates) > MAX_MATCHED_IDS:
        return None
    tests = {
        i: f.row_test(filterset.params[f.name], filterset.lookups, filterset.params)
        for i, f in enumerate(facets)
        if f.name in filterset.params
    }
    own = {i for i, f in enumerate(facets) if not f.disjunctive(filterset.params)}
    return Narrowed(candidates, facets, tests, filterset.lookups, own)


class PageReader:
    """One page's ids in list order, cached per filters, sort and language, then its
    cards (``cards(ids)``: ``{id: card}``) in that order; ``cards_key``: what the cards
    depend on besides the rows (``Listing.cards_key``)."""

    def __init__(
        self, *, cached, key, sort, language, base, filtered, order, narrowed, cards, cards_key=""
    ):
        self.cached, self.key, self.sort, self.language = cached, key, sort, language
        self.base, self.filtered, self.order = base, filtered, order
        self.narrowed, self.cards, self.cards_key = narrowed, cards, cards_key

    def __call__(self, bottom: int, top: int) -> list:
        if top <= bottom:
            return []
        ids = self.cached(
            f"page:{self.key}:{self.sort.key}:{self.language}:{bottom}:{top}",
            lambda: self._ids(bottom, top),
        )
        cards = self.cards(ids)
        return [cards[pk] for pk in ids if pk in cards]

    def _ids(self, bottom: int, top: int) -> list[int]:
        if self.narrowed is not None and self.sort.indexed:
            # The text match's rows are known: take them in the order of every
            # published row rather than have the database sort thousands of rows by id.
            everyone = self.cached(
                f"order:{self.sort.key}:{self.language}",
                lambda: ids_in_order(self.base.order_by(*self.order).values_list("pk")),
            )
            wanted = set(self.narrowed.ids)
            return [pk for pk in everyone if pk in wanted][bottom:top]
        return ids_in_order(self.filtered.order_by(*self.order).values_list("pk")[bottom:top])


class PageRows:
    """The rows ``bottom:top`` of a ``PageReader``, read on first use (a page whose cards
    come from the cache never reads them)."""

    def __init__(self, reader: PageReader, bottom: int, top: int):
        self.reader, self.bottom, self.top = reader, bottom, top

    def __bool__(self) -> bool:
        return self.top > self.bottom

    @cached_property
    def rows(self) -> list:
        return self.reader(self.bottom, self.top)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def rendered(self, render) -> str:
        """``render(rows)``: the HTML of the page's cards, cached as its ids are (per
        filters, sort, language and page, until the next write), and per ``cards_key``."""
        reader = self.reader
        key = (
            f"cards:{reader.key}:{reader.sort.key}:{reader.language}:{reader.cards_key}:"
            f"{self.bottom}:{self.top}"
        )
        return reader.cached(key, lambda: render(self.rows))
