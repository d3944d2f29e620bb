"""Reads behind the publications list: search, filters, facets.

``publication_search(*, params, language)`` follows the contract of
``directory.selectors.organization_search``: a ``SearchResult`` whose ``queryset``
holds only published publications, filtered and sorted as the list shows them, not
paginated, with ``series`` joined and ``public_publisher`` (``None`` when the
publisher is a draft), ``public_editors`` (published people only) and
``public_topics`` prefetched: read those, never ``publisher`` or ``editors``.
"""

from django.db.models import F, Prefetch
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory import freshness, search
from directory.models import ActivityType, Organization, Person
from directory.selectors import translated_order
from directory.templatetags.rightsnet import language_name
from rightsnet import facets
from rightsnet.facets import SearchResult

from .filters import Lookups, PublicationFilterSet
from .models import Publication, Series

PUBLICATION_SORTS = {
    "relevance": pgettext_lazy("sort", "relevance"),
    "year": pgettext_lazy("sort", "year, oldest first"),
    "-year": pgettext_lazy("sort", "year, newest first"),
    "title": pgettext_lazy("sort", "title"),
}


def language_label(code: str) -> str:
    return str(language_name(code))


def _lookups() -> Lookups:
    """Series, topics, years and languages (three small queries, cached)."""
    return freshness.cached("publication-lookups", _read_lookups)


def _read_lookups() -> Lookups:
    series = {s.slug: s for s in facets.named(Series.objects.all())}
    topics = {a.slug: a for a in facets.named(ActivityType.objects.all())}
    pairs = set(
        Publication.objects.published().order_by().values_list("year", "language").distinct()
    )
    years = sorted({year for year, _language in pairs if year is not None}, reverse=True)
    languages = sorted({code for _year, code in pairs if code})
    return Lookups(series=series, topics=topics, years=years, languages=languages)


def _sort_sequence(sort: str, q: str, language: str) -> list:
    title = translated_order("title", language)
    if sort == "relevance":
        return [
            *search.relevance_order(q),
            title.asc(),
            F("pk").asc(),
        ]
    if sort == "-year":
        return [F("year").desc(nulls_last=True), title.asc(), F("pk").asc()]
    if sort == "title":
        return [title.asc(), F("pk").asc()]
    return [F("year").asc(nulls_last=True), title.asc(), F("pk").asc()]


def publication_search(*, params, language: str | None = None) -> SearchResult:
    """Published publications matching ``params``, with facets; see the module docstring."""
    language = (language or translation.get_language() or "ru").split("-")[0]
    with translation.override(language):
        lookups = _lookups()
        base = Publication.objects.published()
        filterset = PublicationFilterSet(params, base, lookups=lookups)
        notes = filterset.notes
        cleaned = filterset.params
        q = filterset.query_text
        allowed = (
            dict(PUBLICATION_SORTS)
            if q
            else {k: v for k, v in PUBLICATION_SORTS.items() if k != "relevance"}
        )
        if cleaned.get("sort") == ["relevance"] and not q:
            cleaned.pop("sort")
            notes.append(str(_("Sorting by relevance needs a search query: sorted by year.")))
        sort = facets.sort_value(cleaned, allowed, "relevance" if q else "year", notes)
        filtered = filterset.filter_queryset(base)
        queryset = (
            filtered.order_by(*_sort_sequence(sort, q, language))
            .select_related("series")
            .prefetch_related(
                Prefetch(
                    "publisher",
                    queryset=Organization.objects.published().only(
                        "id", "slug", "name_ru", "name_en"
                    ),
                    to_attr="public_publisher",
                ),
                Prefetch(
                    "editors",
                    queryset=Person.objects.published().only("id", "slug", "name_ru", "name_en"),
                    to_attr="public_editors",
                ),
                Prefetch(
                    "topics",
                    queryset=ActivityType.objects.only("id", "slug", "name_ru", "name_en"),
                    to_attr="public_topics",
                ),
            )
        )
        chips = _chips(filterset, lookups)

    def build_facets():
        return _facets(filterset, base, lookups)

    return SearchResult(
        queryset=queryset,
        params=cleaned,
        notes=notes,
        language=language,
        sort=sort,
        sort_options=[(k, str(v)) for k, v in allowed.items()],
        active_filters=chips,
        facet_builder=build_facets,
        q=q,
        count_queryset=filtered,
    )


def _labels(objects: dict) -> tuple[dict, dict]:
    labels, langs = {}, {}
    for slug, obj in objects.items():
        labels[slug], langs[slug] = facets.label_of(obj, "name")
    return labels, langs


def _chips(filterset, lookups: Lookups) -> list[facets.Chip]:
    params = filterset.params
    series_labels, series_langs = _labels(lookups.series)
    topic_labels, topic_langs = _labels(lookups.topics)
    return [
        *facets.query_chip(params),
        *facets.choice_chips(
            "series", pgettext_lazy("facet", "Series"), params, series_labels, series_langs
        ),
        *facets.choice_chips("year", pgettext_lazy("facet", "Year"), params, {}),
        *facets.choice_chips(
            "language",
            pgettext_lazy("facet", "Language of the text"),
            params,
            {code: language_label(code) for code in lookups.languages},
        ),
        *facets.choice_chips(
            "topic", pgettext_lazy("facet", "Topic"), params, topic_labels, topic_langs
        ),
        *facets.choice_chips(
            "status", pgettext_lazy("facet", "Status"), params, dict(Publication.Status.choices)
        ),
    ]


FIELDS = {"series": "series_id", "year": "year", "language": "language", "status": "status"}


def _facet_counts(filterset, base) -> dict:
    """Every facet's counts (and the total, unless every facet is active) in SQL."""
    found, total = facets.field_counts(filterset, base, FIELDS)
    found["topic"] = facets.count_through(
        Publication.topics.through.objects.all(),
        "publication_id",
        "activitytype_id",
        filterset.filter_queryset(base, exclude={"topic"}),
    )
    found["total"] = total
    return found


def _facets(filterset, base, lookups: Lookups):
    params = filterset.params
    # The same for every page and sort of these filters: cached.
    key = freshness.params_key(params, ("q", "topic", *FIELDS))
    found = freshness.cached(f"publication-facets:{key}", lambda: _facet_counts(filterset, base))
    total = found["total"]

    def counts(name):
        return found[name]

    series_labels, series_langs = _labels(lookups.series)
    topic_labels, topic_langs = _labels(lookups.topics)
    series_ids = counts("series")
    topic_ids = found["topic"]
    years = {str(k): v for k, v in counts("year").items()}
    built = [
        facets.choice_facet(
            name="series",
            label=pgettext_lazy("facet", "Series"),
            choices=sorted(series_labels.items(), key=lambda item: item[1].lower()),
            counts={slug: series_ids.get(s.pk, 0) for slug, s in lookups.series.items()},
            params=params,
            langs=series_langs,
            hide_empty=True,
        ),
        facets.choice_facet(
            name="year",
            label=pgettext_lazy("facet", "Year"),
            choices=[(str(year), str(year)) for year in lookups.years],
            counts=years,
            params=params,
        ),
        facets.choice_facet(
            name="language",
            label=pgettext_lazy("facet", "Language of the text"),
            choices=[(code, language_label(code)) for code in lookups.languages],
            counts=counts("language"),
            params=params,
        ),
        facets.choice_facet(
            name="topic",
            label=pgettext_lazy("facet", "Topic"),
            choices=sorted(topic_labels.items(), key=lambda item: item[1].lower()),
            counts={slug: topic_ids.get(t.pk, 0) for slug, t in lookups.topics.items()},
            params=params,
            langs=topic_langs,
            hide_empty=True,
        ),
        facets.choice_facet(
            name="status",
            label=pgettext_lazy("facet", "Status"),
            choices=Publication.Status.choices,
            counts=counts("status"),
            params=params,
        ),
    ]
    return built, total
