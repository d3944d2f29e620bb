"""A list declared once: its rows, facets, sorts and cards; ``search()`` runs it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, QuerySet
from django.utils import translation

from rightsnet.i18n import current_language

from . import readers
from .facets import Facet, Lookups, TextFacet
from .filterset import FilterSet
from .results import SearchResult
from .sorts import Sort, choose_sort


def grouped_counts(queryset: QuerySet, fields: list[str]) -> tuple[dict[str, dict], int]:
    """Counts per value of each of ``fields`` and the total, in one GROUP BY query.

    Facets that are not active all count over the same (fully filtered) rows, so
    one query serves them all, and the result count with them.
    """
    counts: dict[str, dict] = {field: {} for field in fields}
    total = 0
    # COUNT(*), not COUNT(id): an index without the id can answer it.
    rows = queryset.order_by().values(*fields).annotate(n=Count("*")).values_list(*fields, "n")
    for *values, n in rows:
        total += n
        for field, value in zip(fields, values, strict=True):
            counts[field][value] = counts[field].get(value, 0) + n
    return counts, total


@dataclass(frozen=True)
class Cleaned:
    """A query string as a listing cleans it (``Listing.clean``): ``params``, the cleaned
    parameters (facets in their order, then ``sort``), ``notes``, the chosen ``sort``."""

    language: str
    lookups: Lookups
    base: QuerySet
    filterset: FilterSet
    sort: Sort
    sort_options: list

    @property
    def params(self) -> dict[str, list[str]]:
        return self.filterset.params


@dataclass(frozen=True, kw_only=True)
class Listing:
    """One faceted list of the site.

    - ``name``: names its cache entries; ``queryset``: the rows that may be listed (a
      callable giving the published rows); ``related(queryset)``: adds what the cards
      and the export read (``select_related``, prefetches, public contacts);
    - ``lookups(params)``: what the facets need to know about values, once per search;
    - ``facets``, in the order of the query string, the chips and the sidebar;
    - ``sorts``, ``default_sort`` (without a search; with one, the relevance sort) and
      ``relevance_note`` (said when relevance is asked for without a search);
    - ``narrow_text_match``: resolve the text search to rows in memory (``readers``);
    - ``cards(rows, lookups, language)``: ``{id: card}`` of a page's rows (``pk__in`` its
      ids), what its cards show, read by cached page ids (None: a page is a slice of
      the queryset); ``cards_key(lookups)``: what the cards show besides the rows, the
      language and the page (e.g. the day a rule of age is judged on), in the key of
      their cached HTML, so that HTML cannot outlive it;
    - ``template``, ``export_url_name``; ``export``: ``(result, base_url) -> Export``;
    - ``cache``: what keeps counts, text matches and page ids per filters: anything with
      ``cached(key, build)`` and ``params_key(params, names)`` (``directory.freshness``);
      its ``state()`` (the data version and its time) makes the export's validators.
    """

    name: str
    queryset: Callable[[], QuerySet]
    related: Callable[[QuerySet], QuerySet]
    lookups: Callable[..., Lookups]
    facets: list[Facet]
    sorts: list[Sort]
    default_sort: str
    relevance_note: str
    template: str
    export_url_name: str = ""
    # A page of charts of the same rows, which takes the list's filters (or none).
    statistics_url_name: str = ""
    narrow_text_match: bool = False
    cards: Callable | None = None
    cards_key: Callable[[Lookups], str] | None = None
    export: Callable | None = None
    cache: object

    def clean(self, params, language: str | None = None) -> "Cleaned":
        """``params`` (a QueryDict or ``{name: [values]}``) cleaned as ``search`` cleans
        them, and no more: what facets need to know about values (``lookups``, cached)
        but no query of the rows. A download answered "not modified" stops here."""
        language = current_language(language)
        with translation.override(language):
            lookups = self.lookups(params)
            base = self.queryset()
            filterset = FilterSet(self.facets, params, lookups, base)
            sort, sort_options = choose_sort(
                self.sorts,
                filterset.params,
                q=filterset.q,
                default=self.default_sort,
                notes=filterset.notes,
                without_q_note=self.relevance_note,
            )
        return Cleaned(language, lookups, base, filterset, sort, sort_options)

    def search(
        self,
        params,
        language: str | None = None,
        *,
        facets: bool = False,
        cleaned: "Cleaned | None" = None,
    ) -> SearchResult:
        """The published rows matching ``params`` (a QueryDict or ``{name: [values]}``),
        in ``language``; ``facets``: the caller will show the facets (a list page);
        ``cleaned``: ``clean(params, language)`` when the caller has it already."""
        if cleaned is None:
            cleaned = self.clean(params, language)
        language = cleaned.language
        with translation.override(language):
            lookups, base, filterset = cleaned.lookups, cleaned.base, cleaned.filterset
            sort, sort_options = cleaned.sort, cleaned.sort_options
            params, notes, q = filterset.params, filterset.notes, filterset.q
            names = [name for facet in self.facets for name in facet.param_names]
            key = f"{self.name}:" + self.cache.params_key(params, names)
            text = next(f for f in self.facets if isinstance(f, TextFacet))
            narrowed = None
            if q and self.narrow_text_match:
                narrowed = self.cache.cached(
                    f"narrowed:{key}", lambda: readers.narrow(filterset, base, text)
                )
            if narrowed is not None:
                # Every filter was applied in memory: ask for the rows that passed, by id.
                filtered = base.filter(readers.ids_condition(narrowed.ids, connections[base.db]))
            else:
                filtered = filterset.filter(base)
            order = [*text.relevance(q)] if sort.relevance else []
            order += sort.order(language)
            chips = [chip for facet in self.facets for chip in facet.chips(params, lookups)]

        def counts() -> dict:
            if narrowed is not None:
                return narrowed.counts
            # The same for every page and sort of these filters: cached.
            return self.cache.cached(f"facets:{key}", lambda: self._count(filterset, base))

        def show(found: dict) -> list:
            shown = (facet.shown(found.get(facet.name), params, lookups) for facet in self.facets)
            return [facet for facet in shown if facet is not None]

        read_page = None
        if self.cards is not None:
            read_page = readers.PageReader(
                cached=self.cache.cached,
                key=key,
                sort=sort,
                language=language,
                base=base,
                filtered=filtered,
                order=order,
                narrowed=narrowed,
                cards_key=self.cards_key(lookups) if self.cards_key else "",
                cards=lambda ids: self.cards(base.filter(pk__in=ids), lookups, language),
            )
        return SearchResult(
            queryset=self.related(filtered.order_by(*order)),
            params=params,
            notes=notes,
            language=language,
            sort=sort.key,
            sort_options=sort_options,
            active_filters=chips,
            q=q,
            counts=counts,
            show=show,
            # Count without the ranking expressions, which PostgreSQL would compute per row.
            count=filtered.count,
            facets_wanted=facets or narrowed is not None,
            read_page=read_page,
        )

    def _count(self, filterset, base) -> dict:
        """Every facet's counts in SQL, and the total unless every facet is active.

        The facets on a column that are not active share one grouped query over the
        fully filtered rows, which also gives the total; any other facet counts with
        every filter but its own (or, in "all of" mode, every filter: ``Facet.disjunctive``)."""
        columns = [f for f in self.facets if f.column]
        shared = [f.column for f in columns if f.name not in filterset.params]
        grouped, total = grouped_counts(filterset.filter(base), shared) if shared else ({}, None)
        counts: dict = {"total": total}
        for facet in self.facets:
            if not facet.counted:
                continue
            if facet.column in grouped:
                counts[facet.name] = grouped[facet.column]
                continue
            own = {facet.name} if facet.disjunctive(filterset.params) else set()
            others = filterset.filter(base, exclude=own)
            if facet.column is None:
                counts[facet.name] = facet.count(others, filterset.params, filterset.lookups)
            else:
                counts[facet.name] = grouped_counts(others, [facet.column])[0][facet.column]
        return counts
