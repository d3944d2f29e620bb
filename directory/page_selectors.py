"""Reads for the public pages other than the faceted lists.

Every function here returns published entries only, and follows relations
through published entries only: a draft parent, branch, partner, person or
publisher is never listed, linked or counted.

The counts and blocks that every visitor sees alike (the region tree, the types of
work with their counts, the home page's figures, the landing pages) are cached by
``directory.freshness``, which makes them unreachable at every write.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.http import Http404

from listing.facets import count_through
from rightsnet.i18n import current_language

from . import events, freshness, visibility
from .models import (
    ActivityType,
    Affiliation,
    Organization,
    OrganizationEvent,
    Person,
    Practice,
    Region,
    Source,
)

SIMILAR_LIMIT = 5
RECENT_LIMIT = 8
LANDING_LIMIT = 10
PRACTICES_LIMIT = 5
# The order of every short list of practices (a landing page's, the home page's, an
# organization's, "other experience"): real entries before demo ones, newest first.
PRACTICE_ORDER = ("is_demo", "-created_at", "-pk")


@dataclass
class RegionNode:
    region: Region
    count: int = 0
    children: list["RegionNode"] = field(default_factory=list)


def region_counts(paths: dict[int, str] | None = None) -> dict[int, int]:
    """Published organizations per region, each region counting its whole subtree.

    ``paths`` (region id -> path) saves a query when the caller has the regions.
    """
    return freshness.cached("region-counts", lambda: _region_counts(paths))


def _region_counts(paths: dict[int, str] | None) -> dict[int, int]:
    direct = dict(
        Organization.objects.published()
        .filter(region__isnull=False)
        .order_by()  # the translated Meta.ordering would split the groups
        .values_list("region")
        .annotate(n=Count("id"))
        .values_list("region", "n")
    )
    if paths is None:
        paths = dict(Region.objects.values_list("id", "path"))
    totals = dict.fromkeys(paths, 0)
    for region_id, n in direct.items():
        for ancestor_id in Region.path_ids(paths.get(region_id)):
            if ancestor_id in totals:
                totals[ancestor_id] += n
    return totals


def region_tree() -> list[RegionNode]:
    """Every region as a tree of nodes with subtree counts, in two queries."""
    return freshness.cached(f"region-tree:{current_language()}", _region_tree)


def _region_tree() -> list[RegionNode]:
    regions = list(Region.objects.order_by("depth", "name"))
    counts = _region_counts({region.pk: region.path for region in regions})
    nodes = {region.pk: RegionNode(region, counts.get(region.pk, 0)) for region in regions}
    roots = []
    for region in regions:
        node = nodes[region.pk]
        parent = nodes.get(region.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def top_regions(limit: int = 12) -> list[RegionNode]:
    """Top-level regions with at least one published organization, largest first."""
    roots = [node for node in region_tree() if node.count]
    for node in roots:
        node.children = sorted((c for c in node.children if c.count), key=lambda c: -c.count)
    return sorted(roots, key=lambda node: (-node.count, node.region.name))[:limit]


def activities_with_counts() -> list[ActivityType]:
    """Every type of work with its number of published organizations (``org_count``)."""
    return freshness.cached(f"activities-with-counts:{current_language()}", _activities_with_counts)


def _activities_with_counts() -> list[ActivityType]:
    # Counted on the link table alone, for the published ids (as the list's facet
    # does): joining every link to its organization's row cost twice as much.
    counts = count_through(Organization.activities.field, Organization.objects.published())
    activities = list(ActivityType.objects.order_by("name"))
    for activity in activities:
        activity.org_count = counts.get(activity.pk, 0)
    return activities


def recently_updated(limit: int = RECENT_LIMIT) -> list[Organization]:
    return freshness.cached(
        f"recently-updated:{limit}",
        lambda: list(
            Organization.objects.published()
            .select_related("region")
            .order_by("-updated_at", "pk")[:limit]
        ),
    )


def published_count() -> int:
    return freshness.cached("published-count", lambda: Organization.objects.published().count())


def _published_publications(model, relation: str):
    """The published publications at ``model``'s reverse ``relation``, oldest first.

    Reached through the relation: the publications app depends on this one, which
    does not import it back (``tests/test_app_boundaries.py``).
    """
    publication = model._meta.get_field(relation).related_model
    return publication.objects.published().order_by("year", "title")


def organization_detail(slug: str) -> Organization:
    """A published organization with public contacts, public sources and published
    relations only, its public events in ``timeline`` (oldest first, each with its
    ``public_sources``) and the one of them that decides its status in ``status_event``
    (or None)."""
    return freshness.cached(
        f"organization:{current_language()}:{slug}", lambda: _organization(slug)
    )


def organization_to_write_to(slug: str) -> Organization:
    """A published organization for its contact page, with its email address whether
    public or not (the page never shows it; ``directory.messaging`` sends to it).
    Not cached: the address is read fresh for each message."""
    organization = (
        Organization.objects.published()
        .only("pk", "slug", "name", "name_ru", "name_en", "email", "status", "is_demo")
        .filter(slug=slug)
        .first()
    )
    if organization is None:
        raise Http404("No such organization.")
    return organization


def _organization(slug: str) -> Organization:
    published = Organization.objects.published()
    queryset = (
        visibility.with_public_sources(published.with_public_contacts())
        .select_related("region")
        .prefetch_related(
            "activities",
            Prefetch(
                "branches",
                queryset=published.select_related("region").order_by("name"),
                to_attr="public_branches",
            ),
            Prefetch(
                "partners",
                queryset=published.select_related("region").order_by("name"),
                to_attr="public_partners",
            ),
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.filter(visibility.published("person__"))
                .select_related("person")
                .order_by("person__name", "pk"),
                to_attr="public_affiliations",
            ),
            Prefetch(
                "publications",
                queryset=_published_publications(Organization, "publications"),
                to_attr="public_publications",
            ),
            Prefetch(
                "practices",
                queryset=Practice.objects.published().order_by(*PRACTICE_ORDER),
                to_attr="public_practices",
            ),
            Prefetch(
                "events",
                queryset=OrganizationEvent.objects.public()
                .select_related("country")
                .prefetch_related(
                    Prefetch("sources", queryset=Source.objects.public(), to_attr="public_sources")
                ),
                to_attr="public_events",
            ),
        )
    )
    try:
        organization = queryset.get(slug=slug)
    except Organization.DoesNotExist:
        raise Http404("No such organization") from None
    # The dated timeline, and the event that decides the status ("closed since ...").
    organization.timeline = events.chronological(organization.public_events)
    organization.status_event = events.deciding_event(organization.timeline)
    # A draft parent is treated as no parent at all.
    organization.public_parent = (
        published.filter(pk=organization.parent_id).first() if organization.parent_id else None
    )
    organization.region_trail = (
        organization.region.ancestors(include_self=True) if organization.region else []
    )
    return organization


def similar_organizations(organization: Organization, limit: int = SIMILAR_LIMIT):
    """Published groups in the same region doing similar work, most shared activities first.

    "Same region" is the subtree of the organization's region, or of its parent
    when the region is a city, so that a city group sees its whole province.
    """
    activity_ids = [activity.pk for activity in organization.activities.all()]
    region = organization.region
    if not activity_ids or region is None:
        return []
    if region.kind == Region.Kind.CITY and region.parent_id and len(organization.region_trail) > 1:
        region = organization.region_trail[-2]
    return freshness.cached(
        f"similar:{current_language()}:{organization.pk}:{limit}",
        lambda: _similar_organizations(organization, region, activity_ids, limit),
    )


def _similar_organizations(organization, region, activity_ids, limit):
    # The ranking groups narrow rows (id and name) first; grouping the full rows of
    # every candidate in the region cost more than the rest of the page.
    ranked = list(
        Organization.objects.published()
        .in_region(region)
        .exclude(pk=organization.pk)
        .filter(activities__in=activity_ids)
        .values("pk")
        .annotate(shared=Count("activities", distinct=True))
        .order_by("-shared", "name", "pk")
        .values_list("pk", "shared")[:limit]
    )
    by_id = (
        Organization.objects.select_related("region")
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=ActivityType.objects.filter(pk__in=activity_ids).order_by("name"),
                to_attr="shared_activities",
            )
        )
        .in_bulk([pk for pk, _shared in ranked])
    )
    similar = []
    for pk, shared in ranked:
        found = by_id[pk]
        found.shared = shared
        similar.append(found)
    return similar


def person_detail(slug: str) -> Person:
    """A published person with their public sources, and affiliations and publications of
    published entries only."""
    return freshness.cached(f"person:{current_language()}:{slug}", lambda: _person(slug))


def _person(slug: str) -> Person:
    published_orgs = Organization.objects.published()
    queryset = (
        visibility.with_public_sources(Person.objects.published())
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.filter(organization__in=published_orgs)
                .select_related("organization")
                .order_by("organization__name", "pk"),
                to_attr="public_affiliations",
            ),
            Prefetch(
                "edited_publications",
                queryset=_published_publications(Person, "edited_publications"),
                to_attr="public_publications",
            ),
        )
    )
    try:
        return queryset.get(slug=slug)
    except Person.DoesNotExist:
        raise Http404("No such person") from None


def region_landing(slug: str):
    """A region with its breadcrumb, sub-regions with counts and first published groups."""
    return freshness.cached(
        f"region-landing:{current_language()}:{slug}", lambda: _region_landing(slug)
    )


def _region_landing(slug: str):
    try:
        region = Region.objects.get(slug=slug)
    except Region.DoesNotExist:
        raise Http404("No such region") from None
    counts = region_counts()
    children = list(region.children.order_by("name"))
    for child in children:
        child.org_count = counts.get(child.pk, 0)
    organizations = (
        Organization.objects.published().in_region(region).select_related("region").order_by("name")
    )
    practices = latest_practice_rows().filter(regions__path__startswith=region.path).distinct()
    return {
        "region": region,
        "trail": region.ancestors(include_self=False),
        "children": children,
        "org_count": counts.get(region.pk, 0),
        "organizations": list(organizations[:LANDING_LIMIT]),
        "practices": list(practices[:PRACTICES_LIMIT]),
    }


def activity_landing(slug: str):
    """A type of work with its count and first published groups."""
    return freshness.cached(
        f"activity-landing:{current_language()}:{slug}", lambda: _activity_landing(slug)
    )


def _activity_landing(slug: str):
    try:
        activity = ActivityType.objects.get(slug=slug)
    except ActivityType.DoesNotExist:
        raise Http404("No such type of work") from None
    organizations = (
        Organization.objects.published()
        .filter(activities=activity)
        .select_related("region")
        .order_by("name")
    )
    practices = latest_practice_rows().filter(activities=activity)
    return {
        "activity": activity,
        "org_count": organizations.count(),
        "organizations": list(organizations[:LANDING_LIMIT]),
        "practices": list(practices[:PRACTICES_LIMIT]),
    }


def latest_practice_rows():
    """Published practices in ``PRACTICE_ORDER``: real before demo, newest first."""
    return Practice.objects.published().order_by(*PRACTICE_ORDER)


def latest_practices(limit: int = PRACTICES_LIMIT) -> list[Practice]:
    """The home page's "learn from others": the latest published practices."""
    return freshness.cached(
        f"latest-practices:{limit}", lambda: list(latest_practice_rows()[:limit])
    )


def practice_detail(slug: str) -> Practice:
    """A published practice with its published organizations (``public_organizations``),
    types of work, regions, public sources and up to five other published practices
    sharing a type of work (``others``)."""
    return freshness.cached(f"practice:{current_language()}:{slug}", lambda: _practice(slug))


def _practice(slug: str) -> Practice:
    queryset = visibility.with_public_sources(Practice.objects.published()).prefetch_related(
        Prefetch(
            "organizations",
            queryset=Organization.objects.published().select_related("region").order_by("name"),
            to_attr="public_organizations",
        ),
        Prefetch("activities", queryset=ActivityType.objects.order_by("name")),
        Prefetch("regions", queryset=Region.objects.order_by("name")),
    )
    try:
        practice = queryset.get(slug=slug)
    except Practice.DoesNotExist:
        raise Http404("No such practice") from None
    activity_ids = [activity.pk for activity in practice.activities.all()]
    practice.others = (
        list(
            latest_practice_rows()
            .filter(activities__in=activity_ids)
            .exclude(pk=practice.pk)
            .distinct()[:PRACTICES_LIMIT]
        )
        if activity_ids
        else []
    )
    return practice
