"""The organization and people lists, each declared once (see ``listing``).

``ORGANIZATIONS.search(params, language)`` and ``PEOPLE.search(...)`` are what the list
pages and their exports run, so a list and its download can never disagree. ``params``
is ``request.GET`` or any ``{name: [values]}`` mapping (bad values are dropped with a
note, never raised); ``language`` ("ru"/"en") is that of labels, notes and the name
order. The result's ``queryset`` holds only published rows, filtered and sorted as the
list shows them across all its pages, not paginated, ready to stream: regions joined;
organizations with their types of work in ``public_activities`` and their contacts
through ``with_public_contacts()`` (read ``public_email``, ``public_address_ru/en``,
``public_postal_code``, ``public_phones``, never the raw fields); people with
``public_affiliations`` (published organizations only).
"""

from typing import NamedTuple

from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from listing.facets import (
    ChoiceFacet,
    Lookups,
    ManyToManyFacet,
    RelatedFacet,
    TextFacet,
    Tree,
    TreeFacet,
    named,
    named_choices,
)
from listing.filterset import raw_values
from listing.listing import Listing
from listing.sorts import Sort, by_name
from rightsnet.i18n import current_language

from . import exports, freshness, search, search_index, visibility
from .models import ActivityType, Affiliation, Organization, Person, Phone, Region

# What a result card shows (``directory/includes/_organization_cards.html``): the page
# reads only these, not the long search text, addresses and descriptions in full.
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


def region_lookup() -> Tree:
    """Every region in memory, for facets and breadcrumbs (one query, cached)."""
    # Siblings are sorted by their label in the current language.
    return freshness.cached(
        f"region-lookup:{current_language()}",
        lambda: Tree(named(Region.objects.all(), tree=True), Region.path_ids),
    )


def activity_lookup() -> dict:
    """Every type of work by slug (one query, cached)."""
    return freshness.cached(
        "activity-lookup", lambda: {a.slug: a for a in named(ActivityType.objects.all())}
    )


def text_facet(condition=lambda q, connection: search.text_filter(q)) -> TextFacet:
    return TextFacet(
        "q",
        pgettext_lazy("filter", "Search"),
        condition=condition,
        words=search.terms,
        relevance=search.relevance_order,
        max_length=search.MAX_QUERY_LENGTH,
    )


def region_facet() -> TreeFacet:
    return TreeFacet(
        "region", pgettext_lazy("facet", "Region"), column="region_id", tree=lambda lk: lk.regions
    )


RELEVANCE = Sort("relevance", pgettext_lazy("sort", "relevance"), by_name("name"), relevance=True)
NAME = Sort("name", pgettext_lazy("sort", "name"), by_name("name"), indexed=True)
UPDATED = Sort(
    "-updated",
    pgettext_lazy("sort", "recently updated"),
    lambda language: [F("updated_at").desc(), F("pk").desc()],
    indexed=True,
)
FOUNDED = Sort(
    "founded",
    pgettext_lazy("sort", "year founded"),
    lambda language: [F("founded").asc(nulls_last=True), *by_name("name")(language)],
)
NAME_NOTE = _("Sorting by relevance needs a search query: sorted by name.")


class CardPhone(NamedTuple):
    number: str
    kind: str
    label: str


def organization_cards(page, lookups, language: str) -> list[Organization]:
    """A page of the list with what its cards show, in the same queries as the queryset's.

    ``public_activities`` and ``public_phones`` as the listing's prefetches give them
    (same rows, same order), read as plain rows: Django's ``prefetch_related`` builds a
    model instance per phone and type of work, which cost a tenth of the page's time.
    ``url``, ``kind_label`` and ``status_label`` spare the card template a ``reverse()``
    and two ``get_FOO_display()`` per card (each translates every choice).
    """
    rows = page.select_related("region").with_public_contacts().only(*ORGANIZATION_CARD_FIELDS)
    organizations = list(rows.prefetch_related(None))
    ids = [org.pk for org in organizations]
    by_id = {activity.pk: activity for activity in lookups.activities.values()}
    kinds_of_work: dict[int, list] = {pk: [] for pk in ids}
    phones: dict[int, list] = {pk: [] for pk in ids}
    phone_kinds = dict(Phone.Kind.choices)
    if ids:
        through = Organization.activities.through.objects.filter(organization_id__in=ids)
        # ActivityType's own order (Meta.ordering: the name, which modeltranslation
        # reads in the page's language), as the prefetch reads them.
        for org_id, activity_id in through.order_by(
            f"activitytype__name_{language}", "activitytype_id"
        ).values_list("organization_id", "activitytype_id"):
            # Unless created since the request read the types of work (lookups).
            if (activity := by_id.get(activity_id)) is not None:
                kinds_of_work[org_id].append(activity)
        # Only where contacts are public, as with_public_contacts() prefetches them.
        for org_id, number, kind in (
            visibility.public_phones(Phone.objects.filter(organization_id__in=ids))
            .order_by("organization_id", "kind", "id")
            .values_list("organization_id", "number", "kind")
        ):
            phones[org_id].append(CardPhone(number, kind, phone_kinds.get(kind, kind)))
    # The card's link and labels, looked up once per page rather than once per card.
    url_start, url_end = reverse("directory:organization_detail", args=["-"]).split("/-/")
    kinds, statuses = dict(Organization.Kind.choices), dict(Organization.Status.choices)
    for org in organizations:
        org.public_activities = kinds_of_work[org.pk]
        org.public_phones = phones[org.pk]
        org.url = f"{url_start}/{org.slug}/{url_end}"
        org.kind_label = kinds.get(org.kind, org.kind)
        org.status_label = statuses.get(org.status, org.status)
    return organizations


def _organization_text(q, connection):
    # SQLite asks its FTS5 trigram index (directory/search_index.py).
    return search.text_filter(q, fts_table=search_index.fts_table(connection))


ORGANIZATIONS = Listing(
    name="organizations",
    queryset=Organization.objects.published,
    related=lambda rows: (
        rows.select_related("region")
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=ActivityType.objects.only("id", "slug", "name_ru", "name_en"),
                to_attr="public_activities",
            )
        )
        .with_public_contacts()
    ),
    lookups=lambda params: Lookups(regions=region_lookup(), activities=activity_lookup()),
    facets=[
        text_facet(_organization_text),
        region_facet(),
        ManyToManyFacet(
            "activity",
            pgettext_lazy("facet", "Type of work"),
            field=Organization.activities.field,
            choices=lambda lk: named_choices(lk.activities.values()),
        ),
        ChoiceFacet(
            "kind", pgettext_lazy("facet", "Kind"), column="kind", choices=Organization.Kind.choices
        ),
        ChoiceFacet(
            "status",
            pgettext_lazy("facet", "Status"),
            column="status",
            choices=Organization.Status.choices,
        ),
    ],
    sorts=[RELEVANCE, NAME, UPDATED, FOUNDED],
    default_sort="name",
    relevance_note=NAME_NOTE,
    narrow_text_match=True,
    cards=organization_cards,
    template="directory/organization_list.html",
    export=exports.organization_export,
    export_url_name="directory:organization_export",
    cache=freshness,
)


def chosen_organizations(params) -> dict[str, Organization]:
    """The published organizations chosen in ``params``, by slug (one query, if any)."""
    requested = raw_values(params, "organization")
    if not requested:
        return {}
    chosen = Organization.objects.published().filter(slug__in=[s[:100] for s in requested[:50]])
    return {o.slug: o for o in chosen.only("id", "slug", "name_ru", "name_en")}


PEOPLE = Listing(
    name="people",
    queryset=Person.objects.published,
    related=lambda rows: rows.select_related("region").prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.filter(visibility.published("organization__"))
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
    ),
    lookups=lambda params: Lookups(
        regions=region_lookup(), organizations=chosen_organizations(params)
    ),
    facets=[
        text_facet(),
        region_facet(),
        RelatedFacet(
            "organization",
            pgettext_lazy("facet", "Organization"),
            link=Affiliation,
            owner="person",
            target="organization",
            chosen=lambda lk: lk.organizations,
            counted=lambda: Affiliation.objects.filter(visibility.published("organization__")),
            size=ORGANIZATION_FACET_SIZE,
        ),
    ],
    sorts=[RELEVANCE, NAME, UPDATED],
    default_sort="name",
    relevance_note=NAME_NOTE,
    template="directory/person_list.html",
    export=exports.person_export,
    export_url_name="directory:person_export",
    cache=freshness,
)
