"""The statistics page's charts: the organization list's own search and facet counts,
drawn as bars.

Every number is one the list gives for the same filters (``ORGANIZATIONS.search``), and
every bar links to the list whose result count is that number:

- a facet's bar (region, country, macro-region, type of work, kind, status, designation,
  decade founded) is the facet's count; counts are disjunctive (each facet with every
  filter but its own), so the bar's link *replaces* the facet's values with its own.
  Types of work in "all of" mode count with their own filter: a bar adds its value
  (a chosen one's count is the total, its link the list itself);
- "active in year" is the list's ``year`` filter (``events.active_in_year``) and
  "designated in year" its ``designated_in`` filter (``events.designated_in_year``),
  counted over the rows of every other filter, one grouped query each.

A long chart shows the ``TOP`` bars with the most organizations and says how many more
there are (the list's filters have them all). The charts of a set of filters are cached
under the data version (``directory.freshness``).
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, When
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext, override

from listing import querystring
from listing.facets import ALL, Lookups
from listing.results import SearchResult
from listing.views import export_url
from rightsnet.i18n import current_language, in_language
from rightsnet.text import collation_key

from . import events, freshness
from .listings import ORGANIZATIONS, region_lookup
from .models import Organization, OrganizationEvent, Region

# Bars at most in a chart of categories (countries, types of work...): the most rows first.
TOP = 12
# Bars at most in a chart of years: the latest ones.
YEARS = 12
# Geometry of a bar chart (``directory/includes/_bar_chart.html``), in CSS pixels: each
# bar is a line of its label over the bar and its number; the longest bar is ``SPAN``
# per cent of the chart's width, leaving room for the number after it.
ROW, LABEL_LINE, BAR_TOP, BAR_HEIGHT, SPAN = 44, 15, 21, 16, 82
LABEL_LENGTH = 44
# Parameters of the list that are no filter: the statistics' links leave them out.
NOT_FILTERS = (querystring.PAGE, "sort")


@dataclass
class Bar:
    label: str
    count: int
    url: str
    lang: str = ""
    # Filled by ``Chart.layout``: the label as the chart prints it, the bar's width in
    # per cent, its row's top.
    short_label: str = ""
    width: float = 0.0
    top: int = 0


@dataclass
class Chart:
    key: str
    title: str
    # What is counted, in a sentence: shown under the title.
    definition: str
    column: str
    bars: list[Bar]
    # Said under the chart: bars left out, rows in no bar.
    notes: list[str] = field(default_factory=list)

    def layout(self) -> "Chart":
        most = max((bar.count for bar in self.bars), default=0) or 1
        for i, bar in enumerate(self.bars):
            bar.width = round(SPAN * bar.count / most, 1)
            bar.top = i * ROW
            bar.short_label = (
                bar.label if len(bar.label) <= LABEL_LENGTH else bar.label[: LABEL_LENGTH - 1] + "…"
            )
        return self

    @property
    def height(self) -> int:
        return len(self.bars) * ROW

    @property
    def geometry(self) -> dict:
        return {"label": LABEL_LINE, "bar": BAR_TOP, "bar_height": BAR_HEIGHT}


@dataclass
class Statistics:
    result: SearchResult
    charts: list[Chart]
    list_url: str
    export_csv_url: str
    export_json_url: str
    export_xlsx_url: str


def organization_statistics(params, language: str | None = None) -> Statistics:
    """The charts of the organizations that ``params`` (the list's query string) select."""
    language = current_language(language)
    result = ORGANIZATIONS.search(params, language, facets=True)
    filters = {k: v for k, v in result.params.items() if k not in NOT_FILTERS}
    names = [name for facet in ORGANIZATIONS.facets for name in facet.param_names]
    key = f"statistics:{language}:" + freshness.params_key(filters, names)
    charts = freshness.cached(key, lambda: _charts(result, filters, language))
    query = querystring.encode(filters)
    name = ORGANIZATIONS.export_url_name
    with override(language):
        list_url = reverse("directory:organization_list")
    return Statistics(
        result=result,
        charts=charts,
        list_url=list_url + (query if query != "?" else ""),
        export_csv_url=export_url(name, "csv", query),
        export_json_url=export_url(name, "json", query),
        export_xlsx_url=export_url(name, "xlsx", query),
    )


def _charts(result: SearchResult, filters: dict, language: str) -> list[Chart]:
    with override(language):
        list_url = reverse("directory:organization_list")
        links = _Links(list_url, filters)
        charts = [
            *_region_charts(result, filters, links),
            _facet_chart(
                result,
                "activity",
                gettext("Types of work"),
                gettext(
                    "Organizations with each type of work: an organization with several "
                    "counts in each."
                ),
                links,
                match_all=result.params.get("activity_mode") == [ALL],
            ),
            _facet_chart(
                result, "kind", gettext("Kinds"), gettext("Organizations of each kind."), links
            ),
            _founded_chart(result, links),
            _facet_chart(
                result,
                "status",
                gettext("Status now"),
                gettext(
                    "Organizations by their status today, as their dated public events decide it."
                ),
                links,
            ),
            _active_by_year(result, filters, links),
            _facet_chart(
                result,
                "designation",
                gettext("Designations now"),
                gettext(
                    "Organizations that carry each designation today, from their public "
                    "events; one may carry both."
                ),
                links,
            ),
            _designated_by_year(result, filters, links),
        ]
    return [chart.layout() for chart in charts if chart is not None and chart.bars]


class _Links:
    """The list's address for one bar: the statistics' filters with one facet changed."""

    def __init__(self, list_url: str, filters: dict):
        self.list_url, self.filters = list_url, filters

    def replace(self, name: str, value) -> str:
        return self.list_url + querystring.replace(self.filters, name, value)

    def add(self, name: str, value) -> str:
        if value in self.filters.get(name, []):
            return self.list_url + querystring.encode(self.filters)
        return self.list_url + querystring.toggle(self.filters, name, value)


def _by_count(bars: list[Bar]) -> list[Bar]:
    return sorted(bars, key=lambda bar: (-bar.count, collation_key(bar.label)))


def _capped(bars: list[Bar], notes: list[str], message: str) -> list[Bar]:
    """The ``TOP`` bars with the most rows, and ``message`` saying how many more there are."""
    if len(bars) <= TOP:
        return bars
    notes.append(message % {"shown": TOP, "all": len(bars)})
    return bars[:TOP]


def _facet_chart(result, name, title, definition, links, *, match_all=False) -> Chart | None:
    facet = result.facet(name)
    if facet is None:
        return None
    bars = _by_count(
        [
            Bar(
                label=option.label,
                count=option.count,
                url=links.add(name, option.value)
                if match_all
                else links.replace(name, option.value),
                lang=option.lang,
            )
            for option in facet.options
            if option.count
        ]
    )
    notes: list[str] = []
    bars = _capped(
        bars,
        notes,
        gettext(
            "The %(shown)s with the most organizations are shown, of %(all)s; the list's "
            "filters have them all."
        ),
    )
    return Chart(
        key=name,
        title=title,
        definition=definition,
        column=str(facet.label),
        bars=bars,
        notes=notes,
    )


def region_kinds() -> dict[int, str]:
    """Every region's kind by id (one query, cached)."""
    return freshness.cached(
        "region-kinds", lambda: dict(Region.objects.order_by().values_list("id", "kind"))
    )


def _region_charts(result, filters, links) -> list[Chart]:
    """Countries, macro-regions and, when a region is chosen, the regions one level
    below it: each bar the list's count with that region chosen instead.

    The region facet's counts are per region (rows placed in it), summed up the tree.
    Only regions inside the chosen one are shown (without a choice, all): a region
    inside the chosen one has the same rows with either filter."""
    counts = result.counts.get("region") or {}
    tree = region_lookup()
    kinds = region_kinds()
    totals = tree.rolled_up(counts)
    chosen = tree.by_slug.get((filters.get("region") or [None])[0])
    in_scope = set(tree.descendant_ids(chosen)) - {chosen.pk} if chosen else set(tree.by_id)

    def bar(node) -> Bar:
        text, lang = in_language(node, "name")
        return Bar(
            label=text, count=totals[node.pk], url=links.replace("region", node.slug), lang=lang
        )

    charts = []
    for kind, title, column, definition, capped in (
        (
            Region.Kind.COUNTRY,
            gettext("Countries"),
            gettext("Country"),
            gettext("Organizations in each country, its regions and cities included."),
            gettext(
                "The %(shown)s countries with the most organizations are shown, of %(all)s; "
                "the list's filters have them all."
            ),
        ),
        (
            Region.Kind.MACRO_REGION,
            gettext("Macro-regions"),
            gettext("Macro-region"),
            gettext(
                "Organizations in each macro-region, its regions and cities included: "
                "one in Western Siberia counts in Siberia too."
            ),
            gettext(
                "The %(shown)s macro-regions with the most organizations are shown, of "
                "%(all)s; the list's filters have them all."
            ),
        ),
    ):
        nodes = [tree.by_id[pk] for pk in in_scope if kinds.get(pk) == kind and totals[pk]]
        notes: list[str] = []
        bars = _capped(_by_count([bar(node) for node in nodes]), notes, capped)
        if kind == Region.Kind.COUNTRY and not chosen:
            placed = sum(
                n
                for pk, n in counts.items()
                if pk in tree.by_id
                and not any(kinds.get(a.pk) == kind for a in tree.ancestors(tree.by_id[pk]))
            )
            if placed:
                notes.append(
                    gettext(
                        "%(count)s organizations are in a region of several countries "
                        "(such as Central Asia) and in no country's bar."
                    )
                    % {"count": placed}
                )
        charts.append(
            Chart(
                key=kind, title=title, definition=definition, column=column, bars=bars, notes=notes
            )
        )
    unplaced = counts.get(None, 0)
    if unplaced and not chosen:
        charts[0].notes.append(
            gettext("%(count)s organizations have no region and are in no bar.")
            % {"count": unplaced}
        )
    if chosen is not None:
        name = in_language(chosen, "name")[0]
        notes = []
        children = [node for node in tree.children.get(chosen.pk, []) if totals[node.pk]]
        bars = _capped(
            _by_count([bar(node) for node in children]),
            notes,
            gettext(
                "The %(shown)s regions with the most organizations are shown, of %(all)s; "
                "the list's filters have them all."
            ),
        )
        if own := counts.get(chosen.pk, 0):
            notes.append(
                gettext(
                    "%(count)s organizations are placed in %(region)s itself, in no smaller region."
                )
                % {"count": own, "region": name}
            )
        charts.append(
            Chart(
                key="within",
                title=gettext("Within %(region)s") % {"region": name},
                definition=gettext(
                    "Organizations in each region one level below %(region)s, its regions "
                    "and cities included."
                )
                % {"region": name},
                column=gettext("Region"),
                bars=bars,
                notes=notes,
            )
        )
    return charts


def _founded_chart(result, links) -> Chart | None:
    facet = next(f for f in ORGANIZATIONS.facets if f.name == "founded")
    totals = facet.decade_counts(result.counts.get("founded"))
    decades = sorted(int(value) for value, n in totals.items() if n and value != facet.UNKNOWN)
    values = [str(d) for d in range(decades[0], decades[-1] + 1, 10)] if decades else []
    if totals.get(facet.UNKNOWN):
        values.append(facet.UNKNOWN)
    known = facet.known(Lookups())
    bars = [
        Bar(label=known[v].label, count=totals.get(v, 0), url=links.replace("founded", v))
        for v in values
    ]
    return Chart(
        key="founded",
        title=gettext("Founded, by decade"),
        definition=gettext(
            "Organizations by the decade of their founding, from their public “founded” "
            "event (1990–1999: founded from 1990 to 1999)."
        ),
        column=gettext("Decade"),
        bars=bars,
    )


def _rows_without(result, filters, name) -> object:
    """The published organizations of every filter but ``name``'s (a QuerySet)."""
    if name in filters:
        rest = {k: v for k, v in filters.items() if k != name}
        result = ORGANIZATIONS.search(rest, result.language)
    return Organization.objects.filter(pk__in=result.queryset.order_by().values("pk"))


def _years_shown(first: int, last: int) -> list[int]:
    """Every n-th year from ``first`` to ``last`` (n a multiple of 5), ``last`` included:
    at most ``YEARS`` + 1 bars."""
    start = min(first, last) // 5 * 5
    step = 5 * max(1, math.ceil((last - start) / (5 * YEARS)))
    years = list(range(start, last + 1, step))
    if years[-1] != last:
        years.append(last)
    return years


def _active_by_year(result, filters, links) -> Chart | None:
    rows = _rows_without(result, filters, "year")
    closed_year = Case(
        When(status="closed", status_since__isnull=False, then=ExtractYear("status_since")),
        default=None,
        output_field=IntegerField(),
    )
    grouped = list(
        rows.annotate(closed_year=closed_year)
        .order_by()
        .values("founded", "closed_year")
        .annotate(n=Count("*"))
        .values_list("founded", "closed_year", "n")
    )
    known = [year for founded, closed, _n in grouped for year in (founded, closed) if year]
    if not grouped:
        return None
    this_year = datetime.date.today().year
    years = _years_shown(min(known, default=this_year), this_year)

    def active(year: int) -> int:
        # events.active_in_year: founded by then or not known when, not closed before.
        return sum(
            n
            for founded, closed, n in grouped
            if (founded is None or founded <= year) and not (closed is not None and closed < year)
        )

    return Chart(
        key="year",
        title=gettext("Active, by year"),
        definition=gettext(
            "Organizations active at some time in each year, as the list's “Active in "
            "year” filter counts them: founded by then (or the year not known) and not "
            "closed before the year began."
        ),
        column=gettext("Year"),
        bars=[Bar(label=str(y), count=active(y), url=links.replace("year", y)) for y in years],
    )


def _designated_by_year(result, filters, links) -> Chart | None:
    rows = _rows_without(result, filters, "designated_in")
    found: dict[int, set] = {}
    for organization_id, date in (
        OrganizationEvent.objects.filter(
            is_public=True, kind__in=events.DESIGNATION_KINDS, organization__in=rows
        )
        .order_by()
        .values_list("organization_id", "date")
    ):
        found.setdefault(date.year, set()).add(organization_id)
    years = sorted(found)
    notes = []
    if len(years) > YEARS:
        notes.append(
            gettext("The latest %(shown)s years are shown, of %(all)s.")
            % {"shown": YEARS, "all": len(years)}
        )
        years = years[-YEARS:]
    return Chart(
        key="designated",
        title=gettext("Designated, by year"),
        definition=gettext(
            "Organizations entered in the register of “foreign agents” or declared "
            "“undesirable” in each year, from their dated public events; years without "
            "one are left out."
        ),
        column=gettext("Year"),
        bars=[
            Bar(label=str(y), count=len(found[y]), url=links.replace("designated_in", y))
            for y in years
        ],
        notes=notes,
    )
