"""The publications list, declared once (see ``listing``).

Its ``queryset`` holds only published publications, with ``series`` joined and
``public_publisher`` (``None`` when the publisher is a draft), ``public_editors``
(published people only) and ``public_topics`` prefetched: read those, never
``publisher`` or ``editors``.
"""

from django.db.models import F, Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory import freshness
from directory.listings import text_facet
from directory.models import ActivityType, Organization, Person
from listing.facets import Choice, ChoiceFacet, Lookups, ManyToManyFacet, named, named_choices
from listing.listing import Listing
from listing.sorts import Sort, by_name
from rightsnet.i18n import language_name

from . import exports
from .models import Publication, Series


def publication_lookups() -> Lookups:
    """Series, topics, years and languages (three small queries, cached)."""
    return freshness.cached("publication-lookups", _read_lookups)


def _read_lookups() -> Lookups:
    pairs = set(
        Publication.objects.published().order_by().values_list("year", "language").distinct()
    )
    return Lookups(
        series=named(Series.objects.all()),
        topics=named(ActivityType.objects.all()),
        years=sorted({year for year, _language in pairs if year is not None}, reverse=True),
        languages=sorted({code for _year, code in pairs if code}),
    )


def _by_year(direction: str):
    return lambda language: [
        getattr(F("year"), direction)(nulls_last=True),
        *by_name("title")(language),
    ]


PUBLICATIONS = Listing(
    name="publications",
    queryset=Publication.objects.published,
    related=lambda rows: rows.select_related("series").prefetch_related(
        Prefetch(
            "publisher",
            queryset=Organization.objects.published().only("id", "slug", "name_ru", "name_en"),
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
    ),
    lookups=lambda params: publication_lookups(),
    facets=[
        text_facet(),
        ChoiceFacet(
            "series",
            pgettext_lazy("facet", "Series"),
            column="series_id",
            choices=lambda lk: named_choices(lk.series),
            hide_empty=True,
        ),
        ChoiceFacet(
            "year",
            pgettext_lazy("facet", "Year"),
            column="year",
            choices=lambda lk: [Choice(str(year), year, str(year)) for year in lk.years],
            label_order=False,  # newest first
        ),
        ChoiceFacet(
            "language",
            pgettext_lazy("facet", "Language of the text"),
            column="language",
            choices=lambda lk: [(code, str(language_name(code))) for code in lk.languages],
        ),
        ManyToManyFacet(
            "topic",
            pgettext_lazy("facet", "Topic"),
            field=Publication.topics.field,
            choices=lambda lk: named_choices(lk.topics),
            hide_empty=True,
        ),
        ChoiceFacet(
            "status",
            pgettext_lazy("facet", "Status"),
            column="status",
            choices=Publication.Status.choices,
        ),
    ],
    sorts=[
        Sort("relevance", pgettext_lazy("sort", "relevance"), by_name("title"), relevance=True),
        Sort("year", pgettext_lazy("sort", "year, oldest first"), _by_year("asc")),
        Sort("-year", pgettext_lazy("sort", "year, newest first"), _by_year("desc")),
        Sort("title", pgettext_lazy("sort", "title"), by_name("title")),
    ],
    default_sort="year",
    relevance_note=_("Sorting by relevance needs a search query: sorted by year."),
    template="publications/publication_list.html",
    export=exports.publication_export,
    export_url_name="publications:publication_export",
    cache=freshness,
)
