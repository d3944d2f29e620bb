"""Query-string filters of the publications list (see ``rightsnet.facets``)."""

from dataclasses import dataclass, field

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import pgettext_lazy

from directory import search
from rightsnet.facets import FacetFilterSet, Named

from .models import Publication


@dataclass
class Lookups:
    """Series and topics by slug, years and languages present: loaded once per request."""

    series: dict[str, Named] = field(default_factory=dict)
    topics: dict[str, Named] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


class PublicationFilterSet(FacetFilterSet):
    q = django_filters.CharFilter(label=pgettext_lazy("filter", "Search"), method="filter_q")
    series = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("facet", "Series"), method="filter_series"
    )
    year = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("facet", "Year"), method="filter_in"
    )
    language = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("facet", "Language of the text"), method="filter_in"
    )
    topic = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("facet", "Topic"), method="filter_topic"
    )
    status = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("facet", "Status"),
        choices=Publication.Status.choices,
        method="filter_in",
    )

    single_valued = frozenset({"q", "sort"})
    max_lengths = {"q": search.MAX_QUERY_LENGTH}
    word_params = {"q": search.terms}

    class Meta:
        model = Publication
        fields = ["q", "series", "year", "language", "topic", "status"]

    def __init__(self, data=None, queryset=None, *, lookups: Lookups, **kwargs):
        self.lookups = lookups
        super().__init__(data, queryset, **kwargs)

    def prepare_filters(self):
        choices = self._choices()
        for name in ("series", "year", "language", "topic"):
            self.filters[name].extra["choices"] = [(value, value) for value in choices[name]]

    def _choices(self) -> dict[str, dict]:
        return {
            "series": self.lookups.series,
            "topic": self.lookups.topics,
            "year": {str(year): year for year in self.lookups.years},
            "language": {code: code for code in self.lookups.languages},
            "status": dict(Publication.Status.choices),
        }

    def choices_for(self, name):
        return self._choices().get(name)

    @property
    def query_text(self) -> str:
        return (self.params.get("q") or [""])[0]

    def filter_q(self, queryset, name, value):
        return queryset.filter(search.text_filter(value))

    def filter_in(self, queryset, name, value):
        return queryset.filter(**{f"{name}__in": list(value)})

    def filter_series(self, queryset, name, value):
        ids = [self.lookups.series[slug].pk for slug in value if slug in self.lookups.series]
        return queryset.filter(series_id__in=ids)

    def filter_topic(self, queryset, name, value):
        ids = [self.lookups.topics[slug].pk for slug in value if slug in self.lookups.topics]
        through = Publication.topics.through.objects.filter(
            publication_id=OuterRef("pk"), activitytype_id__in=ids
        )
        return queryset.filter(Exists(through))
