"""Reads behind the organization and people lists: search, filters, facets.

The export (issue 4) calls the same selectors as the list pages, so a list and its
download can never disagree. Contract of ``organization_search`` and
``person_search``:

- keyword-only ``params`` (``request.GET`` or any ``{name: [values]}`` mapping; bad
  values are dropped with a note, never raised) and ``language`` (``"ru"``/``"en"``:
  the language of labels, notes and of the name used for sorting);
- returns a ``rightsnet.facets.SearchResult`` whose ``queryset`` holds only
  published rows, filtered and sorted exactly as the list shows them across all its
  pages, not paginated. It is ready to stream: ``select_related("region")``, types
  of work prefetched in ``public_activities`` (organizations) and, for
  organizations, ``with_public_contacts()`` applied, so contact details must be read
  from ``public_email``, ``public_address_ru/en``, ``public_postal_code`` and
  ``public_phones``, never from the raw fields. People carry ``public_affiliations``
  (affiliations with published organizations only). ``total`` is one COUNT query;
  ``facets`` run only when read; ``querystring`` is the cleaned query string for
  links such as the export's.

What every visitor of the same filters sees alike is cached by ``directory.freshness``
(unreachable after any write): the regions and types of work, the facet counts and
total, the rows the text match found, and each page's ids in list order, which the
list page then reads by id (``page_ids``/``load_ids``). The export streams
``queryset`` itself.
"""

from collections import Counter
from itertools import chain

from django.db import connections
from django.db.models import CharField, Count, F, Func, Prefetch
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rightsnet import facets
from rightsnet.facets import SearchResult

from . import freshness, search
from .filters import Lookups, OrganizationFilterSet, PersonFilterSet
from .models import ActivityType, Affiliation, Organization, Person, Phone, Region

ORGANIZATION_SORTS = {
    "relevance": pgettext_lazy("sort", "relevance"),
    "name": pgettext_lazy("sort", "name"),
    "-updated": pgettext_lazy("sort", "recently updated"),
    "founded": pgettext_lazy("sort", "year founded"),
}
PERSON_SORTS = {
    "relevance": pgettext_lazy("sort", "relevance"),
    "name": pgettext_lazy("sort", "name"),
    "-updated": pgettext_lazy("sort", "recently updated"),
}
# Sorts that an index of published rows gives in order (directory/search_index.py,
# the model's indexes): the order of every published organization costs one scan.
INDEXED_SORTS = frozenset({"name", "-updated"})
# What a result card shows (``directory/templatetags/org_cards.py``): the page reads
# only these, not the long search text, addresses and descriptions in full.
ORGANIZATION_CARD_FIELDS = (
    "slug",
    "name_ru",
    "name_en",
    "short_name_ru",
    "short_name_en",
    "city_ru",
    "city_en",
    "kind",
    "status",
    "founded",
    "description_ru",
    "description_en",
    "region__slug",
    "region__name_ru",
    "region__name_en",
)
# The people list offers the organizations with the most people, plus the chosen ones.
ORGANIZATION_FACET_SIZE = 25


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "ru").split("-")[0]


def region_tree() -> facets.RegionTree:
    """Every region, for facets and breadcrumbs (one query, cached)."""
    # Siblings are sorted by their label in the current language.
    language = translation.get_language() or ""
    return freshness.cached(
        f"region-lookup:{language}",
        lambda: facets.RegionTree(facets.named(Region.objects.all(), tree=True)),
    )


def activity_lookup() -> dict[str, facets.Named]:
    """Every type of work by slug (one query, cached)."""
    return freshness.cached(
        "activity-lookup", lambda: {a.slug: a for a in facets.named(ActivityType.objects.all())}
    )


def translated_order(field: str, language: str):
    """Order by ``field`` in ``language``, falling back to the other language.

    The literals are written into the SQL rather than passed as parameters so that
    the expression matches the name indexes of migration 0005 exactly.
    """
    other = "en" if language == "ru" else "ru"
    current = Func(F(f"{field}_{language}"), template="NULLIF(%(expressions)s, '')")
    name = Coalesce(current, F(f"{field}_{other}"), F(field), output_field=CharField())
    # Ё sorts with Е, not before А as its code point would have it.
    return Func(name, template="REPLACE(REPLACE(%(expressions)s, 'Ё', 'Е'), 'ё', 'е')")


def _sort_sequence(sort: str, *, q: str, language: str, name_field: str) -> list:
    name = translated_order(name_field, language)
    if sort == "relevance":
        return [
            *search.relevance_order(q),
            name.asc(),
            F("pk").asc(),
        ]
    if sort == "-updated":
        return [F("updated_at").desc(), F("pk").desc()]
    if sort == "founded":
        return [F("founded").asc(nulls_last=True), name.asc(), F("pk").asc()]
    return [name.asc(), F("pk").asc()]


def _sort(params, filterset, sorts: dict, notes: list[str]) -> tuple[str, list]:
    q = filterset.query_text
    allowed = dict(sorts) if q else {k: v for k, v in sorts.items() if k != "relevance"}
    default = "relevance" if q else "name"
    if params.get("sort") == ["relevance"] and not q:
        params.pop("sort")
        notes.append(str(_("Sorting by relevance needs a search query: sorted by name.")))
        return default, [(k, str(v)) for k, v in allowed.items()]
    sort = facets.sort_value(params, allowed, default, notes)
    return sort, [(k, str(v)) for k, v in allowed.items()]


def organization_search(*, params, language: str | None = None) -> SearchResult:
    """Published organizations matching ``params``, with facets; see the module docstring."""
    language = _language(language)
    with translation.override(language):
        lookups = Lookups(regions=region_tree(), activities=activity_lookup())
        base = Organization.objects.published()
        filterset = OrganizationFilterSet(params, base, lookups=lookups)
        notes = filterset.notes
        cleaned = filterset.params
        sort, sort_options = _sort(cleaned, filterset, ORGANIZATION_SORTS, notes)
        q = filterset.query_text
        key = freshness.params_key(cleaned, ("q", *ORGANIZATION_FACETS))
        narrowed = None
        if q:
            narrowed = freshness.cached(
                f"org-narrowed:{key}", lambda: _text_match_narrowed(filterset, base)
            )
        if narrowed is not None:
            # Every filter was applied in memory: ask for the rows that passed, by id.
            filtered = base.filter(search.ids_condition(narrowed.ids, connections[base.db]))
        else:
            filtered = filterset.filter_queryset(base)
        order = _sort_sequence(sort, q=q, language=language, name_field="name")
        queryset = (
            filtered.order_by(*order)
            .select_related("region")
            .prefetch_related(
                Prefetch(
                    "activities",
                    queryset=ActivityType.objects.only("id", "slug", "name_ru", "name_en"),
                    to_attr="public_activities",
                )
            )
            .with_public_contacts()
        )
        chips = _organization_chips(filterset, lookups)

    def build_facets() -> list[facets.Facet]:
        return _organization_facets(filterset, base, lookups, narrowed, key)

    def page_ids(bottom: int, top: int) -> list[int]:
        # One page's ids in list order, cached: the same for every visitor until the
        # next write. The order of names depends on the language.
        return freshness.cached(
            f"org-page:{key}:{sort}:{language}:{bottom}:{top}",
            lambda: _page_ids(bottom, top),
        )

    def _page_ids(bottom: int, top: int) -> list[int]:
        if narrowed is not None and sort in INDEXED_SORTS:
            # The text match's rows are known: take them in the order of every
            # published row (one index scan, shared by every search) rather than have
            # the database sort thousands of rows asked for by id.
            everyone = freshness.cached(
                f"org-order:{sort}:{language}",
                lambda: _ids_in_order(base.order_by(*order).values_list("pk")),
            )
            wanted = set(narrowed.ids)
            return [pk for pk in everyone if pk in wanted][bottom:top]
        return _ids_in_order(filtered.order_by(*order).values_list("pk")[bottom:top])

    def load_ids(ids: list[int]) -> list[Organization]:
        rows = (
            base.filter(pk__in=ids)
            .select_related("region")
            .with_public_contacts()
            .only(*ORGANIZATION_CARD_FIELDS)
        )
        cards = organization_cards(rows, lookups.activities.values(), language)
        position = {pk: i for i, pk in enumerate(ids)}
        return sorted(cards, key=lambda org: position[org.pk])

    result = SearchResult(
        queryset=queryset,
        params=cleaned,
        notes=notes,
        language=language,
        sort=sort,
        sort_options=sort_options,
        active_filters=chips,
        facet_builder=build_facets,
        q=q,
        # Count without the ranking expressions, which PostgreSQL would compute per row.
        count_queryset=filtered,
        total=len(narrowed.ids) if narrowed is not None else None,
        page_ids=page_ids,
        load_ids=load_ids,
    )
    return result


def _ids_in_order(ids) -> list[int]:
    """The ids of a ``values_list("pk")`` in its order, read through the cursor.

    (Without the ORM's and modeltranslation's per-row iterators, which cost more than
    the query on a deep page.)
    """
    sql, params = ids.query.sql_with_params()
    with connections[ids.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _text_match_narrowed(filterset, base) -> "Narrowed | None":
    """Run the text match (``OrganizationFilterSet._text_condition``) and narrow its rows."""
    filterset.filter_queryset(base)
    return _narrowed(filterset)


def organization_cards(page, activities, language: str) -> list[Organization]:
    """A page of the list with what its cards show, in the same queries as the queryset's.

    ``public_activities`` and ``public_phones`` as the selector's prefetches give them
    (same rows, same order), read as plain rows: Django's ``prefetch_related`` builds a
    model instance per phone and type of work, which cost a tenth of the page's time.
    ``activities`` are the request's types of work (``Lookups.activities``).
    """
    organizations = list(page.prefetch_related(None))
    ids = [org.pk for org in organizations]
    by_id = {activity.pk: activity for activity in activities}
    kinds_of_work: dict[int, list] = {pk: [] for pk in ids}
    phones: dict[int, list] = {pk: [] for pk in ids}
    if ids:
        through = Organization.activities.through.objects.filter(organization_id__in=ids)
        # ActivityType's own order (Meta.ordering: the name, which modeltranslation
        # reads in the page's language), as the prefetch reads them.
        for org_id, activity_id in through.order_by(
            f"activitytype__name_{language}", "activitytype_id"
        ).values_list("organization_id", "activitytype_id"):
            # Unless created since the request read the types of work (Lookups).
            if (activity := by_id.get(activity_id)) is not None:
                kinds_of_work[org_id].append(activity)
        # Only where contacts are public, as with_public_contacts() prefetches them.
        for phone in (
            Phone.objects.filter(organization_id__in=ids, organization__contacts_public=True)
            .order_by("organization_id", "kind", "id")
            .values_list("organization_id", "number", "kind", named=True)
        ):
            phones[phone.organization_id].append(phone)
    for org in organizations:
        org.public_activities = kinds_of_work[org.pk]
        org.public_phones = phones[org.pk]
    return organizations


ORGANIZATION_FACETS = ("region", "activity", "kind", "status")


class Narrowed:
    """The text match's candidate rows filtered and counted in memory, in one pass.

    A row that passes every filter is a result and counts in every facet; a row that
    fails exactly one filter counts only in that filter's facet (a disjunctive
    count: each facet with the other filters applied); any other row counts nowhere.
    """

    def __init__(self, candidates, tests):
        checks = list(tests.items())
        if not checks:
            self.ids: list[int] = list(candidates)
            passed = list(candidates.values())
            failed_only = {}
        else:
            self.ids, passed = [], []
            failed_only: dict[str, list] = {name: [] for name in ORGANIZATION_FACETS}
            for pk, row in candidates.items():
                failed = None
                for name, test in checks:
                    if not test(row):
                        if failed is not None:
                            break
                        failed = name
                else:
                    if failed is None:
                        self.ids.append(pk)
                        passed.append(row)
                    else:
                        failed_only[failed].append(row)

        def rows(name):
            extra = failed_only.get(name)
            return chain(passed, extra) if extra else passed

        self.counts: dict[str, Counter] = {
            "region": Counter(row.region_id for row in rows("region")),
            "activity": Counter(chain.from_iterable(row.activities for row in rows("activity"))),
            "kind": Counter(row.kind for row in rows("kind")),
            "status": Counter(row.status for row in rows("status")),
        }


def _narrowed(filterset) -> Narrowed | None:
    if filterset.candidates is None:
        return None
    return Narrowed(filterset.candidates, filterset.row_tests())


def _activity_labels(lookups: Lookups):
    labels, langs = {}, {}
    for slug, activity in lookups.activities.items():
        labels[slug], langs[slug] = facets.label_of(activity, "name")
    return labels, langs


def _organization_chips(filterset, lookups: Lookups) -> list[facets.Chip]:
    params = filterset.params
    labels, langs = _activity_labels(lookups)
    return [
        *facets.query_chip(params),
        *facets.region_chip(
            "region", pgettext_lazy("facet", "Region"), params, filterset.selected_region
        ),
        *facets.choice_chips(
            "activity", pgettext_lazy("facet", "Type of work"), params, labels, langs
        ),
        *facets.choice_chips(
            "kind", pgettext_lazy("facet", "Kind"), params, dict(Organization.Kind.choices)
        ),
        *facets.choice_chips(
            "status", pgettext_lazy("facet", "Status"), params, dict(Organization.Status.choices)
        ),
    ]


def _sql_facet_counts(filterset, base) -> dict:
    """Every facet's counts (and the total, unless every facet is active) in SQL."""
    counts, total = facets.field_counts(
        filterset, base, {"region": "region_id", "kind": "kind", "status": "status"}
    )
    counts["activity"] = facets.count_through(
        Organization.activities.through.objects.all(),
        "organization_id",
        "activitytype_id",
        filterset.filter_queryset(base, exclude={"activity"}),
    )
    counts["total"] = total
    return counts


def _organization_facets(filterset, base, lookups: Lookups, narrowed: Narrowed | None, key: str):
    params = filterset.params
    if narrowed is not None:
        found = narrowed.counts
        total = len(narrowed.ids)
    else:
        # The same for every page and sort of these filters: cached.
        found = freshness.cached(f"org-facets:{key}", lambda: _sql_facet_counts(filterset, base))
        total = found["total"]

    def counts(name, field):
        return found[name]

    activity_counts_by_id = found["activity"]
    labels, langs = _activity_labels(lookups)
    activity_counts = {
        slug: activity_counts_by_id.get(activity.pk, 0)
        for slug, activity in lookups.activities.items()
    }
    activity_choices = sorted(labels.items(), key=lambda item: item[1].lower())
    built = [
        facets.region_facet(
            name="region",
            tree=lookups.regions,
            selected=filterset.selected_region,
            counts=counts("region", "region_id"),
            params=params,
            label=pgettext_lazy("facet", "Region"),
        ),
        facets.choice_facet(
            name="activity",
            label=pgettext_lazy("facet", "Type of work"),
            choices=activity_choices,
            counts=activity_counts,
            params=params,
            langs=langs,
        ),
        facets.choice_facet(
            name="kind",
            label=pgettext_lazy("facet", "Kind"),
            choices=Organization.Kind.choices,
            counts=counts("kind", "kind"),
            params=params,
        ),
        facets.choice_facet(
            name="status",
            label=pgettext_lazy("facet", "Status"),
            choices=Organization.Status.choices,
            counts=counts("status", "status"),
            params=params,
        ),
    ]
    return built, total


def person_search(*, params, language: str | None = None) -> SearchResult:
    """Published people matching ``params``, with facets; see the module docstring."""
    language = _language(language)
    with translation.override(language):
        # The chosen organizations' slugs, cleaned as the FilterSet will clean them.
        requested = facets.clean_values(
            params.getlist("organization")
            if hasattr(params, "getlist")
            else list(params.get("organization", []))
        )
        organizations = {}
        if requested:
            organizations = {
                o.slug: o
                for o in Organization.objects.published()
                .filter(slug__in=[s[:100] for s in requested[:50]])
                .only("id", "slug", "name_ru", "name_en")
            }
        lookups = Lookups(regions=region_tree(), organizations=organizations)
        base = Person.objects.published()
        filterset = PersonFilterSet(params, base, lookups=lookups)
        notes = filterset.notes
        cleaned = filterset.params
        sort, sort_options = _sort(cleaned, filterset, PERSON_SORTS, notes)
        q = filterset.query_text
        filtered = filterset.filter_queryset(base)
        queryset = (
            filtered.order_by(
                *_sort_sequence(
                    sort,
                    q=q,
                    language=language,
                    name_field="name",
                )
            )
            .select_related("region")
            .prefetch_related(
                Prefetch(
                    "affiliations",
                    queryset=Affiliation.objects.filter(organization__is_published=True)
                    .select_related("organization")
                    .only(
                        "id",
                        "person_id",
                        "role_ru",
                        "role_en",
                        "organization__id",
                        "organization__slug",
                        "organization__name_ru",
                        "organization__name_en",
                    ),
                    to_attr="public_affiliations",
                )
            )
        )
        org_labels = {slug: facets.label_of(o, "name") for slug, o in organizations.items()}
        chips = [
            *facets.query_chip(cleaned),
            *facets.region_chip(
                "region", pgettext_lazy("facet", "Region"), cleaned, filterset.selected_region
            ),
            *facets.choice_chips(
                "organization",
                pgettext_lazy("facet", "Organization"),
                cleaned,
                {slug: text for slug, (text, _lang) in org_labels.items()},
                {slug: lang for slug, (_text, lang) in org_labels.items()},
            ),
        ]

    def build_facets() -> list[facets.Facet]:
        return _person_facets(filterset, base, lookups)

    result = SearchResult(
        queryset=queryset,
        params=cleaned,
        notes=notes,
        language=language,
        sort=sort,
        sort_options=sort_options,
        active_filters=chips,
        facet_builder=build_facets,
        q=q,
        # Count without the ranking expressions, which PostgreSQL would compute per row.
        count_queryset=filtered,
    )
    return result


PERSON_FACET_COLUMNS = ("organization__slug", "organization__name_ru", "organization__name_en", "n")


def _person_facet_counts(filterset, base) -> tuple[dict, list[tuple], int | None]:
    """Region counts, the organization facet's rows and the total, in SQL."""
    params = filterset.params
    counts, total = facets.field_counts(filterset, base, {"region": "region_id"})
    region_counts = counts["region"]
    people = filterset.filter_queryset(base, exclude={"organization"})
    selected = set(params.get("organization", []))
    # One grouped query: the organizations with the most matching people, and the chosen ones.
    rows = (
        Affiliation.objects.filter(
            person_id__in=people.order_by().values("pk"), organization__is_published=True
        )
        .order_by()
        .values_list(*PERSON_FACET_COLUMNS[:-1])
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "organization__slug")
    )
    # Read through the cursor: every organization with people, of which a few are shown.
    sql, sql_params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, sql_params)
        names = [column[0] for column in cursor.description]
        at = [names.index(name) for name in PERSON_FACET_COLUMNS]
        shown = []
        for row in cursor.fetchall():
            if len(shown) < ORGANIZATION_FACET_SIZE or row[at[0]] in selected:
                shown.append(tuple(row[i] for i in at))
    return region_counts, shown, total


def _person_facets(filterset, base, lookups: Lookups):
    params = filterset.params
    # The same for every page and sort of these filters: cached.
    key = freshness.params_key(params, ("q", "region", "organization"))
    region_counts, rows, total = freshness.cached(
        f"person-facets:{key}", lambda: _person_facet_counts(filterset, base)
    )
    selected = set(params.get("organization", []))
    counts, choices, langs = {}, [], {}
    for slug, name_ru, name_en, n in rows:
        holder = Organization(name_ru=name_ru, name_en=name_en)
        text, lang = facets.label_of(holder, "name")
        counts[slug] = n
        choices.append((slug, text))
        langs[slug] = lang
    for slug, organization in lookups.organizations.items():
        if slug in selected and slug not in counts:
            text, lang = facets.label_of(organization, "name")
            choices.append((slug, text))
            langs[slug] = lang
    built = [
        facets.region_facet(
            name="region",
            tree=lookups.regions,
            selected=filterset.selected_region,
            counts=region_counts,
            params=params,
            label=pgettext_lazy("facet", "Region"),
        ),
        facets.choice_facet(
            name="organization",
            label=pgettext_lazy("facet", "Organization"),
            choices=choices,
            counts=counts,
            params=params,
            langs=langs,
        ),
    ]
    return built, total
