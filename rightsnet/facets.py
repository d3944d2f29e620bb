"""Faceted search machinery shared by the organization, people and publication lists.

A ``FacetFilterSet`` cleans the query string leniently: a bad value is dropped with a
note for the user instead of failing the page, so the cleaned parameters are always
valid and can be used for every link on the page. ``filter_queryset(exclude=...)``
applies every filter but the named ones, which is what a disjunctive facet count
needs: the counts of one facet's options are taken with the other facets applied.
A selector turns the FilterSet into a ``SearchResult``.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

import django_filters
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.views.generic import TemplateView

from rightsnet import querystring

NOTE_VALUE_LENGTH = 60


@dataclass
class FacetOption:
    """One facet value, as in Datasette: value, label, count, selected, toggle_url."""

    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str
    lang: str = ""


@dataclass
class Crumb:
    value: str
    label: str
    url: str
    lang: str = ""
    count: int | None = None


@dataclass
class Facet:
    """A facet: its parameter, heading and options (region adds a breadcrumb)."""

    name: str
    label: str
    options: list[FacetOption]
    multiple: bool = True
    breadcrumb: list[Crumb] = field(default_factory=list)
    all_url: str = ""

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]


@dataclass
class Chip:
    """An active filter, shown with a link that removes it."""

    name: str
    label: str
    value: str
    remove_url: str
    lang: str = ""


@dataclass
class PageLink:
    number: int | None
    url: str
    current: bool = False


class SearchResult:
    """What a list page and an export need from one search.

    - ``queryset``: the published rows that match, filtered and sorted, not
      paginated (an export streams it);
    - ``total``: how many rows that is (one COUNT query, on first use);
    - ``facets``: the facets with disjunctive counts (built on first use, so an
      export that never reads them runs no facet query);
    - ``active_filters``: the chips; ``notes``: what was ignored or changed in the
      query string and why, translated; ``params``: the cleaned parameters that
      every link on the page carries; ``sort`` and ``sort_options``;
    - ``page_ids`` and ``load_ids`` (optional): a faster way to one page of the list,
      the ids of rows ``bottom:top`` in list order (e.g. cached) and the rows of those
      ids in that order; without them a page is a slice of ``queryset``.
    """

    def __init__(
        self,
        *,
        queryset: QuerySet,
        params: dict[str, list[str]],
        notes: list[str],
        language: str,
        sort: str,
        sort_options: list[tuple[str, str]],
        active_filters: list[Chip],
        facet_builder: Callable[[], tuple[list[Facet], int | None]],
        q: str = "",
        count_queryset: QuerySet | None = None,
        total: int | None = None,
        page_ids: Callable[[int, int], list[int]] | None = None,
        load_ids: Callable[[list[int]], list] | None = None,
    ):
        self.queryset = queryset
        self.params = params
        self.notes = notes
        self.language = language
        self.sort = sort
        self.sort_options = sort_options
        self.active_filters = active_filters
        self.q = q
        self._facet_builder = facet_builder
        self._count_queryset = count_queryset if count_queryset is not None else queryset
        self.page_ids = page_ids
        self.load_ids = load_ids
        if total is not None:
            # Counted already (in memory, from the rows the text match found).
            self.__dict__["total"] = total

    @cached_property
    def total(self) -> int:
        return self._count_queryset.count()

    @cached_property
    def facets(self) -> list[Facet]:
        with translation.override(self.language):
            built, total = self._facet_builder()
        if total is not None:
            # The facet query counted every row already: no separate COUNT.
            self.__dict__.setdefault("total", total)
        return built

    def facet(self, name: str) -> Facet | None:
        return next((f for f in self.facets if f.name == name), None)

    @property
    def querystring(self) -> str:
        """The cleaned parameters without the page, e.g. for the export link."""
        return querystring.encode({k: v for k, v in self.params.items() if k != querystring.PAGE})

    def page(self, raw_page, per_page: int) -> "ResultPage":
        return ResultPage(self, raw_page, per_page)


class ResultPage:
    """One page of a result, with notes when the page number had to be corrected."""

    def __init__(self, result: SearchResult, raw_page, per_page: int):
        self.notes: list[str] = []
        paginator = Paginator(result.queryset, per_page, allow_empty_first_page=True)
        # The selector already knows the total: reuse it instead of a second COUNT.
        paginator.__dict__["count"] = result.total
        number = self._page_number(raw_page, paginator.num_pages)
        self.paginator = paginator
        self.page = paginator.page(number)
        self.params = result.params
        self.object_list = self.page.object_list
        if result.page_ids is not None:
            bottom = (number - 1) * per_page
            top = min(bottom + per_page, result.total)
            self.object_list = result.load_ids(result.page_ids(bottom, top) if top > bottom else [])

    def _page_number(self, raw, num_pages: int) -> int:
        if raw in (None, ""):
            return 1
        text = str(raw).replace("\x00", "").strip()[:NOTE_VALUE_LENGTH]
        try:
            number = int(text)
        except ValueError:
            self.notes.append(
                gettext("Page “%(page)s” is not a page number: showing page 1.") % {"page": text}
            )
            return 1
        if number < 1:
            self.notes.append(
                gettext("There is no page %(page)s: showing page 1.") % {"page": number}
            )
            return 1
        if number > num_pages:
            self.notes.append(
                gettext("There is no page %(page)s: showing the last page, %(last)s.")
                % {"page": number, "last": num_pages}
            )
            return num_pages
        return number

    def _url(self, number: int) -> str:
        if number == 1:
            return querystring.remove(self.params, querystring.PAGE)
        return querystring.replace(self.params, querystring.PAGE, number)

    @property
    def previous_url(self) -> str:
        return self._url(self.page.number - 1) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self._url(self.page.number + 1) if self.page.has_next() else ""

    @property
    def links(self) -> list[PageLink]:
        """Page links around the current one, with ``None`` for a gap."""
        current, last = self.page.number, self.paginator.num_pages
        numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
        links: list[PageLink] = []
        previous = 0
        for number in numbers:
            if number - previous > 1:
                links.append(PageLink(number=None, url=""))
            links.append(PageLink(number=number, url=self._url(number), current=number == current))
            previous = number
        return links


def export_url(name: str, fmt: str, query: str) -> str:
    """The export link for ``name`` with the given query, or "" until the view exists."""
    try:
        url = reverse(name, kwargs={"format": fmt})
    except NoReverseMatch:
        return ""
    return url + (query if query != "?" else "")


def truncate(value: str, length: int = NOTE_VALUE_LENGTH) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


def clean_values(values: Iterable) -> list[str]:
    """Query-string values as every filter reads them: NUL bytes and surplus space out,
    empty values and repeats dropped (PostgreSQL refuses text with NUL in any query)."""
    cleaned: list[str] = []
    for value in values:
        value = " ".join(str(value).replace("\x00", " ").split())
        if value and value not in cleaned:
            cleaned.append(value)
    return cleaned


class FacetFilterSet(django_filters.FilterSet):
    """A FilterSet that cleans leniently and can leave facets out.

    Subclasses declare ``single_valued`` (parameters that take one value) and
    ``choices_for(name)`` for parameters whose values must be known (slugs, choice
    values); ``extra_params`` are parameters that are kept in links but are not
    filters (``sort``). The raw query string is sanitised before the form sees it:
    NUL bytes removed, repeated values merged, unknown values dropped, one value
    kept for single-valued parameters, each change explained in ``notes``.
    """

    single_valued: frozenset[str] = frozenset({"q"})
    extra_params: tuple[str, ...] = ("sort",)
    max_lengths: dict[str, int] = {}
    # Text searches: parameter -> its words as the search reads them. A search with no
    # words (only punctuation or symbols) is no search: dropped with a note.
    word_params: dict[str, Callable[[str], list]] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.notes: list[str] = []
        raw = data if data is not None else QueryDict()
        self.params = self._sanitise(raw)
        clean = QueryDict(mutable=True)
        for key, values in self.params.items():
            clean.setlist(key, values)
        super().__init__(clean, queryset=queryset, request=request, prefix=prefix)
        self.prepare_filters()
        for name, errors in self.form.errors.items():
            label = self._label(name)
            for error in errors:
                self.notes.append(
                    gettext("Filter “%(filter)s” ignored: %(error)s")
                    % {"filter": label, "error": error}
                )
            self.params.pop(name, None)

    def prepare_filters(self) -> None:
        """Hook to set per-request choices on ``self.filters`` before the form is built."""

    def choices_for(self, name: str) -> dict[str, str] | None:
        """Known values of ``name`` mapped to labels, or None when any value will do."""
        return None

    def _label(self, name: str) -> str:
        filter_ = self.base_filters.get(name)
        if filter_ is not None and filter_.label:
            return str(filter_.label)
        return name

    def _sanitise(self, raw) -> dict[str, list[str]]:
        params: dict[str, list[str]] = {}
        names = [*self.base_filters.keys(), *self.extra_params]
        for name in names:
            if name not in raw:
                continue
            values = clean_values(raw.getlist(name))
            if not values:
                continue
            label = self._label(name)
            if name in self.single_valued and len(values) > 1:
                self.notes.append(
                    gettext("Only one value of “%(filter)s” can be used: “%(value)s” was kept.")
                    % {"filter": label, "value": truncate(values[0])}
                )
                values = values[:1]
            limit = self.max_lengths.get(name)
            if limit:
                for i, value in enumerate(values):
                    if len(value) > limit:
                        self.notes.append(
                            gettext(
                                "“%(filter)s” was too long and was cut to %(limit)s characters."
                            )
                            % {"filter": label, "limit": limit}
                        )
                        values[i] = value[:limit].strip()
            words_of = self.word_params.get(name)
            if words_of is not None:
                for value in values:
                    if not words_of(value):
                        self.notes.append(
                            gettext(
                                "“%(value)s” has no letters or digits to search for: "
                                "showing everything."
                            )
                            % {"value": truncate(value)}
                        )
                values = [value for value in values if words_of(value)]
            known = self.choices_for(name)
            if known is not None:
                for value in values:
                    if value not in known:
                        self.notes.append(
                            gettext("Unknown %(filter)s “%(value)s” ignored.")
                            % {"filter": label.lower(), "value": truncate(value)}
                        )
                values = [value for value in values if value in known]
            if values:
                params[name] = values
        return params

    def filter_queryset(self, queryset, *, exclude: Iterable[str] = ()):
        """Apply every filter except those named in ``exclude``."""
        skip = set(exclude)
        for name, value in self.form.cleaned_data.items():
            if name in skip or name not in self.filters or value in (None, "", [], ()):
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def value(self, name: str):
        return self.form.cleaned_data.get(name) if self.form.is_valid() else None


# Counting helpers: one grouped query each, whatever the number of rows.


def count_by(queryset: QuerySet, field_name: str) -> dict:
    """``{value: number of rows}`` for ``field_name`` in one GROUP BY query."""
    # COUNT(*), not COUNT(id): an index without the id can answer it.
    rows = queryset.order_by().values(field_name).annotate(n=Count("*"))
    return dict(rows.values_list(field_name, "n"))


def grouped_counts(queryset: QuerySet, fields: list[str]) -> tuple[dict[str, dict], int]:
    """Counts per value of each of ``fields`` and the total, in one GROUP BY query.

    Facets that are not active all count over the same (fully filtered) rows, so
    one query serves them all, and the result count with them.
    """
    counts: dict[str, dict] = {field_name: defaultdict(int) for field_name in fields}
    total = 0
    rows = queryset.order_by().values(*fields).annotate(n=Count("*")).values_list(*fields, "n")
    for *values, n in rows:
        total += n
        for field_name, value in zip(fields, values, strict=True):
            counts[field_name][value] += n
    return counts, total


def field_counts(filterset, base: QuerySet, fields: dict[str, str]) -> tuple[dict, int | None]:
    """Disjunctive counts ``{facet: {value: n}}`` for facets on a model field, and the total.

    ``fields`` maps facet names to fields. The facets that are not active share one
    grouped query over the fully filtered rows (``grouped_counts``), which also gives
    the total; an active facet counts with every other filter but its own. The total
    is None when every facet is active.
    """
    shared = [column for name, column in fields.items() if name not in filterset.params]
    grouped, total = ({}, None)
    if shared:
        grouped, total = grouped_counts(filterset.filter_queryset(base), shared)
    counts = {}
    for name, column in fields.items():
        if column in grouped:
            counts[name] = dict(grouped[column])
        else:
            counts[name] = count_by(filterset.filter_queryset(base, exclude={name}), column)
    return counts, total


def count_through(through: QuerySet, owner_field: str, value_field: str, owners: QuerySet) -> dict:
    """``{value: number of owners}`` across an M2M table, for the owners in ``owners``.

    Django's M2M tables hold each (owner, value) pair once, so counting rows counts
    owners, without the sort that COUNT(DISTINCT ...) costs.
    """
    rows = (
        through.filter(**{f"{owner_field}__in": owners.order_by().values("pk")})
        .order_by()
        .values(value_field)
        .annotate(n=Count("*"))
        .values_list(value_field, "n")
    )
    return dict(rows)


def choice_facet(
    *,
    name: str,
    label: str,
    choices: Iterable[tuple[str, str]],
    counts: dict,
    params: dict[str, list[str]],
    hide_empty: bool = False,
    langs: dict[str, str] | None = None,
) -> Facet:
    """A facet whose options are ``choices`` in their given order."""
    selected = set(params.get(name, []))
    options = []
    for value, option_label in choices:
        value = str(value)
        count = counts.get(value, 0)
        if hide_empty and not count and value not in selected:
            continue
        options.append(
            FacetOption(
                value=value,
                label=str(option_label),
                count=count,
                selected=value in selected,
                toggle_url=querystring.toggle(params, name, value),
                lang=(langs or {}).get(value, ""),
            )
        )
    return Facet(name=name, label=str(label), options=options)


def choice_chips(name: str, label, params, labels: dict[str, str], langs=None) -> list[Chip]:
    return [
        Chip(
            name=name,
            label=str(label),
            value=str(labels.get(value, value)),
            remove_url=querystring.remove(params, name, value),
            lang=(langs or {}).get(value, ""),
        )
        for value in params.get(name, [])
    ]


@dataclass(frozen=True, slots=True)
class Named:
    """A region, type of work or series as facets need it: plain values, no model instance.

    Built from ``values_list`` (see ``named()``): regions are a few hundred rows
    loaded on every list page, and model instances cost more than the query.
    """

    pk: int
    slug: str
    name_ru: str
    name_en: str
    parent_id: int | None = None
    path: str = ""


def named(queryset: QuerySet, *, tree: bool = False) -> list[Named]:
    fields = ["id", "slug", "name_ru", "name_en"] + (["parent_id", "path"] if tree else [])
    return [Named(*row) for row in queryset.order_by().values_list(*fields)]


class RegionTree:
    """Every region in memory (they are few): paths, labels and roll-ups without queries."""

    def __init__(self, regions: Iterable):
        self.by_id = {region.pk: region for region in regions}
        self.by_slug = {region.slug: region for region in self.by_id.values()}
        self.children: dict[int | None, list] = defaultdict(list)
        for region in self.by_id.values():
            self.children[region.parent_id].append(region)
        for siblings in self.children.values():
            siblings.sort(key=lambda r: label_of(r, "name")[0].lower())
        self._paths = [(r.path, r.pk) for r in self.by_id.values()]

    def descendant_ids(self, region) -> list[int]:
        return [pk for path, pk in self._paths if path.startswith(region.path)]

    def ancestors(self, region) -> list:
        ids = [int(part) for part in region.path.strip("/").split("/") if part]
        return [self.by_id[i] for i in ids if i in self.by_id]

    def rolled_up(self, counts: dict[int, int]) -> dict[int, int]:
        """Counts per region including every region below it."""
        totals: dict[int, int] = defaultdict(int)
        for region_id, n in counts.items():
            region = self.by_id.get(region_id)
            if region is None:
                continue
            for ancestor in self.ancestors(region):
                totals[ancestor.pk] += n
        return totals


def label_of(obj, field_name: str) -> tuple[str, str]:
    """``(text, lang)`` of a translated field: the current language, else another, marked."""
    current = (translation.get_language() or "ru").split("-")[0]
    value = getattr(obj, f"{field_name}_{current}", "") or ""
    if value:
        return value, ""
    for code in ("ru", "en"):
        if code != current:
            value = getattr(obj, f"{field_name}_{code}", "") or ""
            if value:
                return value, code
    return str(getattr(obj, field_name, "") or ""), ""


def region_facet(
    *, name: str, tree: RegionTree, selected, counts: dict[int, int], params, label
) -> Facet:
    """The region facet: breadcrumb to the selected region, its children as options.

    ``counts`` are direct counts per region id with the other filters applied; they
    are rolled up the tree here, so the facet costs one grouped query.
    """
    totals = tree.rolled_up(counts)
    parent_id = selected.pk if selected is not None else None
    options = []
    for region in tree.children.get(parent_id, []):
        text, lang = label_of(region, "name")
        options.append(
            FacetOption(
                value=region.slug,
                label=text,
                count=totals.get(region.pk, 0),
                selected=False,
                toggle_url=querystring.replace(params, name, region.slug),
                lang=lang,
            )
        )
    breadcrumb = []
    if selected is not None:
        for region in tree.ancestors(selected):
            text, lang = label_of(region, "name")
            breadcrumb.append(
                Crumb(
                    value=region.slug,
                    label=text,
                    url=querystring.replace(params, name, region.slug),
                    lang=lang,
                    count=totals.get(region.pk, 0),
                )
            )
    return Facet(
        name=name,
        label=str(label),
        options=options,
        multiple=False,
        breadcrumb=breadcrumb,
        all_url=querystring.remove(params, name),
    )


def region_chip(name: str, label, params, region) -> list[Chip]:
    if region is None:
        return []
    text, lang = label_of(region, "name")
    return [
        Chip(
            name=name,
            label=str(label),
            value=text,
            remove_url=querystring.remove(params, name),
            lang=lang,
        )
    ]


def query_chip(params) -> list[Chip]:
    q = params.get("q", [""])[0]
    if not q:
        return []
    return [
        Chip(
            name="q",
            label=str(pgettext_lazy("filter", "Search")),
            value=truncate(q),
            remove_url=querystring.remove(params, "q"),
        )
    ]


def sort_value(params, allowed: dict[str, str], default: str, notes: list[str]) -> str:
    """The requested sort if allowed, else ``default`` with a note."""
    requested = params.get("sort", [""])[0]
    if not requested:
        return default
    if requested in allowed:
        return requested
    notes.append(gettext("Unknown sort order “%(sort)s” ignored.") % {"sort": truncate(requested)})
    params.pop("sort", None)
    return default


class FacetedListView(TemplateView):
    """A list page over a search selector: results, page, facets, chips, notes, export link.

    Subclasses set ``template_name``, ``selector`` (a ``staticmethod`` taking ``params`` and
    ``language``) and ``export_name`` (URL name of the export, linked once it exists).
    """

    selector: Callable[..., SearchResult]
    export_name = ""
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = (translation.get_language() or "ru").split("-")[0]
        result = self.selector(params=self.request.GET, language=language)
        result.facets  # noqa: B018 (facets first: they may count the total on the way)
        page = result.page(self.request.GET.get(querystring.PAGE), self.paginate_by)
        query = result.querystring
        context.update(
            result=result,
            page=page,
            object_list=page.object_list,
            notes=[*result.notes, *page.notes],
            export_csv_url=export_url(self.export_name, "csv", query) if self.export_name else "",
            export_json_url=export_url(self.export_name, "json", query) if self.export_name else "",
            clear_url=self.request.path,
        )
        return context
