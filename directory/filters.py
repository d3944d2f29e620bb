"""Query-string filters of the organization and people lists.

The FilterSets validate and clean the parameters (see ``rightsnet.facets``) and
know how to apply each one; the selectors in ``directory/selectors.py`` combine
them into results and facets. Regions and types of work are looked up in memory
from ``lookups`` that the selector loads once per request.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import django_filters
from django.db import connections
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import pgettext_lazy

from rightsnet.facets import FacetFilterSet, Named, RegionTree

from . import search, search_index
from .models import Affiliation, Organization, Person

# Up to this many matches, the text match is resolved to rows held in memory (see
# below), which keeps the number of queries of a list page the same whatever the data
# size. Measured at 20,000 organizations: 4,605 matches are 1.5x (SQLite) to 2.6x
# (PostgreSQL) faster than the SQL path; a q matching all 19,000 is about 1.5-2x slower.
# Past the limit (a memory bound) the SQL path runs, with two or three more queries.
MAX_MATCHED_IDS = 50_000
# Rows of the matching query (one per organization and type of work) read at most:
# a broader match stops early and falls back to the SQL path.
MAX_MATCHED_ROWS = 3 * MAX_MATCHED_IDS


class Candidate(NamedTuple):
    """A published organization that matches ``q``: what the other filters test."""

    region_id: int | None
    kind: str
    status: str
    activities: set[int]


CANDIDATE_COLUMNS = ("pk", "region_id", "kind", "status", "activities__id")


def _candidates(values_list, connection) -> tuple[dict[int, "Candidate"], int]:
    """``{pk: Candidate}`` from a ``values_list`` of ``CANDIDATE_COLUMNS``, and its row count.

    Read through the cursor: the ORM's per-row iterators (and modeltranslation's
    wrapper around them) cost more than the query for a few thousand rows.
    """
    sql, params = values_list.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    pk_at, region_at, kind_at, status_at, activity_at = map(names.index, CANDIDATE_COLUMNS)
    found: dict[int, Candidate] = {}
    for row in rows:
        entry = found.get(row[pk_at])
        if entry is None:
            entry = found[row[pk_at]] = Candidate(
                row[region_at], row[kind_at], row[status_at], set()
            )
        if row[activity_at] is not None:
            entry.activities.add(row[activity_at])
    return found, len(rows)


@dataclass
class Lookups:
    """Everything a FilterSet needs to know about slugs, loaded once per request."""

    regions: RegionTree
    activities: dict[str, Named] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)


class SearchFilterSet(FacetFilterSet):
    """Parameters common to every directory list: ``q`` and ``region``."""

    q = django_filters.CharFilter(label=pgettext_lazy("filter", "Search"), method="filter_q")
    region = django_filters.CharFilter(
        label=pgettext_lazy("facet", "Region"), method="filter_region"
    )

    single_valued = frozenset({"q", "region", "sort"})
    max_lengths = {"q": search.MAX_QUERY_LENGTH}
    word_params = {"q": search.terms}
    region_field = "region"

    def __init__(self, data=None, queryset=None, *, lookups: Lookups, **kwargs):
        self.lookups = lookups
        super().__init__(data, queryset, **kwargs)

    def choices_for(self, name):
        if name == "region":
            return self.lookups.regions.by_slug
        return None

    @property
    def selected_region(self):
        slug = (self.params.get("region") or [None])[0]
        return self.lookups.regions.by_slug.get(slug) if slug else None

    @property
    def query_text(self) -> str:
        return (self.params.get("q") or [""])[0]

    def filter_q(self, queryset, name, value):
        return queryset.filter(search.text_filter(value))

    def filter_region(self, queryset, name, value):
        region = self.lookups.regions.by_slug.get(value)
        if region is None:
            return queryset
        ids = self.lookups.regions.descendant_ids(region)
        return queryset.filter(**{f"{self.region_field}_id__in": ids})


class OrganizationFilterSet(SearchFilterSet):
    activity = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("facet", "Type of work"), method="filter_activity"
    )
    kind = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("facet", "Kind"), choices=Organization.Kind.choices, method="filter_in"
    )
    status = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("facet", "Status"),
        choices=Organization.Status.choices,
        method="filter_in",
    )

    class Meta:
        model = Organization
        fields = ["q", "region", "activity", "kind", "status"]

    def prepare_filters(self):
        self.filters["activity"].extra["choices"] = [
            (slug, slug) for slug in self.lookups.activities
        ]

    def choices_for(self, name):
        if name == "activity":
            return self.lookups.activities
        if name in ("kind", "status"):
            return dict(self.base_filters[name].extra["choices"])
        return super().choices_for(name)

    # Set by the text match when the rows it found are few enough to hold (see below).
    candidates: dict[int, Candidate] | None = None

    def filter_q(self, queryset, name, value):
        return queryset.filter(self._text_condition(queryset, value))

    def _text_condition(self, queryset, value) -> Q:
        """The text match, resolved once per request to the matching rows when they are few.

        One query reads, for every published organization that matches the text, its
        region, kind, status and types of work (``candidates``): the selector then
        applies the other filters and counts every facet in memory, and the list
        itself is asked for by id. That replaces a text-index scan and a grouped query
        per facet. A match too broad to hold keeps the text condition instead.
        """
        if getattr(self, "_text_cache", None) is None:
            connection = connections[queryset.db]
            condition = search.text_filter(value, fts_table=search_index.fts_table(connection))
            matching = (
                queryset.model.objects.published()
                .filter(condition)
                .order_by()
                .values_list(*CANDIDATE_COLUMNS)[: MAX_MATCHED_ROWS + 1]
            )
            found, row_count = _candidates(matching, connection)
            if row_count <= MAX_MATCHED_ROWS and len(found) <= MAX_MATCHED_IDS:
                self.candidates = found
                self._text_cache = search.ids_condition(list(found), connection)
            else:
                self._text_cache = condition
        return self._text_cache

    def row_tests(self) -> dict[str, Callable[[Candidate], bool]]:
        """The active filters other than ``q`` as tests of a ``Candidate``.

        They mirror the ``filter_*`` methods exactly: same cleaned values, same rules.
        """
        data = self.form.cleaned_data
        tests: dict[str, Callable[[Candidate], bool]] = {}

        def value(name):
            found = data.get(name)
            return None if found in (None, "", [], ()) or name not in self.filters else found

        if slug := value("region"):
            region = self.lookups.regions.by_slug.get(slug)
            if region is not None:
                regions = frozenset(self.lookups.regions.descendant_ids(region))
                tests["region"] = lambda row: row.region_id in regions
        if slugs := value("activity"):
            activities = frozenset(
                self.lookups.activities[s].pk for s in slugs if s in self.lookups.activities
            )
            tests["activity"] = lambda row: not activities.isdisjoint(row.activities)
        if kinds := value("kind"):
            kinds = frozenset(kinds)
            tests["kind"] = lambda row: row.kind in kinds
        if statuses := value("status"):
            statuses = frozenset(statuses)
            tests["status"] = lambda row: row.status in statuses
        return tests

    def filter_activity(self, queryset, name, value):
        ids = [
            self.lookups.activities[slug].pk for slug in value if slug in self.lookups.activities
        ]
        through = Organization.activities.through.objects.filter(
            organization_id=OuterRef("pk"), activitytype_id__in=ids
        )
        return queryset.filter(Exists(through))

    def filter_in(self, queryset, name, value):
        return queryset.filter(**{f"{name}__in": list(value)})


class PersonFilterSet(SearchFilterSet):
    organization = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("facet", "Organization"), method="filter_organization"
    )

    class Meta:
        model = Person
        fields = ["q", "region", "organization"]

    def prepare_filters(self):
        self.filters["organization"].extra["choices"] = [
            (slug, slug) for slug in self.lookups.organizations
        ]

    def choices_for(self, name):
        if name == "organization":
            return self.lookups.organizations
        return super().choices_for(name)

    def filter_organization(self, queryset, name, value):
        ids = [
            self.lookups.organizations[slug].pk
            for slug in value
            if slug in self.lookups.organizations
        ]
        affiliations = Affiliation.objects.filter(person_id=OuterRef("pk"), organization_id__in=ids)
        return queryset.filter(Exists(affiliations))
