"""The organization, people and practical experience lists, each declared once (see
``listing``).

``ORGANIZATIONS.search(params, language)``, ``PEOPLE.search(...)`` and
``PRACTICES.search(...)`` are what the list
pages and their exports run, so a list and its download can never disagree. ``params``
is ``request.GET`` or any ``{name: [values]}`` mapping (bad values are dropped with a
note, never raised); ``language`` ("ru"/"en") is that of labels, notes and the name
order. The result's ``queryset`` holds only published rows, filtered and sorted as the
list shows them across all its pages, not paginated, ready to stream: regions joined;
organizations with their types of work in ``public_activities`` and their contacts
through ``with_public_contacts()`` (read ``public_email``, ``public_address_ru/en``,
``public_postal_code``, ``public_phones``, never the raw fields); people with
``public_affiliations`` (published organizations only); practices with
``public_organizations`` (published only), ``public_activities`` and ``public_regions``.
"""

from django.db.models import F, Prefetch
from django.template.defaultfilters import striptags, truncatewords
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from listing.facets import (
    ChoiceFacet,
    DecadeFacet,
    Lookups,
    ManyToManyFacet,
    ManyToManyTreeFacet,
    RelatedFacet,
    TagFacet,
    TextFacet,
    Tree,
    TreeFacet,
    YearFacet,
    named,
    named_choices,
)
from listing.filterset import raw_values
from listing.listing import Listing
from listing.sorts import Sort, by_name
from rightsnet.i18n import current_language, in_language

from . import contacts, events, exports, freshness, search, search_index, visibility
from .dates import PartialDate
from .models import (
    MAX_YEAR,
    MIN_YEAR,
    ActivityType,
    Affiliation,
    Organization,
    OrganizationEvent,
    Person,
    Phone,
    Practice,
    Region,
    running_in_year,
)
from .templatetags.rightsnet import tel_href, translated

# What a result card shows (``directory/includes/_organization_cards.html``): the page
# reads only these, not the long search text, addresses and descriptions in full.
ORGANIZATION_CARD_FIELDS = (
    "id",
    "slug",
    "name_ru",
    "name_en",
    "short_name_ru",
    "short_name_en",
    "city_ru",
    "city_en",
    "kind",
    "status",
    "status_since",
    "designations",
    "founded",
    "description_ru",
    "description_en",
    "region__name_ru",
    "region__name_en",
    "public_email",
    "contacts_as_of",
    "contacts_as_of_precision",
    "is_demo",
)
DEMO_BADGE = "includes/_demo_badge.html"
# The people list offers the organizations with the most people, plus the chosen ones:
# the top ones at first, the rest up to this many behind "Show all" (listing.facets).
# 25, not more: at 100 the options added 28 KB and 15 ms to every people and practices
# page (bench_search), for a facet that search serves better ("search to find another").
ORGANIZATION_FACET_SIZE = 25
# The designations (``Organization.designations``) as the list's facet and cards name them.
DESIGNATIONS = [
    ("foreign_agent", pgettext_lazy("designation", "“foreign agent”")),
    ("undesirable", pgettext_lazy("designation", "“undesirable organization”")),
]


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


def designated_organizations() -> dict[int, frozenset[str]]:
    """The published organizations with a designation, and theirs (one query, cached)."""
    return freshness.cached(
        "designated-organizations", lambda: events.designated(Organization.objects.published())
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


def organization_cards(page, lookups, language: str) -> dict[int, dict]:
    """A page of the list as its cards show it (``_organization_cards.html``): a dict of
    values ready to print per organization (by id), in four queries (the fourth, of
    moves abroad, only when an active organization on the page has a dated status).

    The template keeps the markup and does no work per card but print and test: the
    translated fields come as the ``tr`` tag renders them (``translated``), the labels,
    link, phone lines, "founded in" and whether the contacts are historical
    (``directory.contacts``, judged by ``lookups.contacts_cutoff``, the listing's
    ``cards_key``) are made here, each choice label and type of work once per page. A
    dict is the fastest thing a template reads (an object's attribute costs it a failed
    item lookup first); rendering 50 cards is most of a list page's
    time when its cache is cold. The rows are read as named tuples, not model instances.
    """
    rows = page.with_public_contacts().prefetch_related(None).order_by()
    organizations = list(rows.values_list(*ORGANIZATION_CARD_FIELDS, named=True))
    ids = [org.id for org in organizations]
    cards = {pk: {"id": pk, "activities": [], "phones": []} for pk in ids}
    judged = {
        org.id: contacts.judge(
            status=org.status,
            as_of=PartialDate.from_parts(org.contacts_as_of, org.contacts_as_of_precision),
            cut=lookups.contacts_cutoff,
        )
        for org in organizations
    }
    if ids:
        activities = {
            a.pk: translated(a, "name", language=language, note=False)
            for a in lookups.activities.values()
        }
        through = Organization.activities.through.objects.filter(organization_id__in=ids)
        # ActivityType's own order (Meta.ordering: the name, which modeltranslation
        # reads in the page's language), as the listing's prefetch reads them.
        for org_id, activity_id in through.order_by(
            f"activitytype__name_{language}", "activitytype_id"
        ).values_list("organization_id", "activitytype_id"):
            # Unless created since the request read the types of work (lookups).
            if (name := activities.get(activity_id)) is not None:
                cards[org_id]["activities"].append(name)
        # Only where contacts are public, as with_public_contacts() prefetches them.
        phone_kinds = {value: str(label) for value, label in Phone.Kind.choices}
        # Telephones, then mobiles, then faxes (the detail page's order): a card shows two.
        rank = {Phone.Kind.TEL: 0, Phone.Kind.MOBILE: 1, Phone.Kind.FAX: 2}
        rows = visibility.public_phones(Phone.objects.filter(organization_id__in=ids))
        for org_id, number, kind in sorted(
            rows.values_list("organization_id", "number", "kind").order_by("id"),
            key=lambda row: (row[0], rank.get(row[2], 3)),
        ):
            if len(phones := cards[org_id]["phones"]) < 2:
                # Tap-to-call for current telephones and mobiles: never a fax.
                linked = kind != Phone.Kind.FAX and not judged[org_id].historical
                phones.append(
                    {
                        "label": phone_kinds.get(kind, kind),
                        "number": number,
                        "tel": tel_href(number) if linked else "",
                    }
                )
    # Only an active organization whose status an event dates may have moved abroad.
    dated = [o.id for o in organizations if o.status == "active" and o.status_since]
    relocated = events.relocations(dated) if dated else {}
    url_start, url_end = reverse("directory:organization_detail", args=["-"]).split("/-/")
    kinds = {value: str(label) for value, label in Organization.Kind.choices}
    # The status a card names, with its label: "status: unknown", «статус: неизвестен»
    # (the Russian adjective agrees with «статус», so one phrase per status).
    statuses = {
        Organization.Status.INACTIVE: pgettext("card status", "status: inactive"),
        Organization.Status.UNKNOWN: pgettext("card status", "status: unknown"),
    }
    founded_in = gettext("founded in %(year)s")
    # The badge's markup is the pages' own, rendered once per page of cards.
    demo = render_to_string(DEMO_BADGE) if any(org.is_demo for org in organizations) else ""
    closed_in = gettext("closed in %(year)s")
    designations = {value: str(label) for value, label in DESIGNATIONS}
    moved = str(OrganizationEvent.Kind.RELOCATED.label)

    def tr(obj, field, note=False):
        return translated(obj, field, language=language, note=note)

    for org in organizations:
        city = in_language(org, "city", language)[0]
        judgement = judged[org.id]
        description = tr(org, "description")
        cards[org.id].update(
            url=f"{url_start}/{org.slug}/{url_end}",
            name=tr(org, "name", note=True),
            short_name=tr(org, "short_name"),
            kind=kinds.get(org.kind, org.kind),
            region=tr(org, "region__name"),
            # The city unless it repeats the region.
            city=tr(org, "city")
            if city and city != in_language(org, "region__name", language)[0]
            else "",
            founded=founded_in % {"year": org.founded} if org.founded else "",
            # Active goes without saying; closed is a badge.
            status="" if org.status in ("active", "closed") else org.status,
            status_label=statuses.get(org.status, ""),
            badges=_badges(
                org, designations, relocated, lookups, language, closed_in=closed_in, moved=moved
            ),
            # None: no description (a description of bare tags still shows, empty).
            description=truncatewords(striptags(description), 10) if description else None,
            email=org.public_email,
            contacts_historical=judgement.historical,
            contacts_as_of=judgement.label(language) if judgement.historical else "",
            # Current contacts' date: printed only (a handbook page says how fresh they are).
            contacts_dated="" if judgement.historical else judgement.label(language),
            demo=demo if org.is_demo else "",
        )
    return cards


def _badges(org, designations, relocated, lookups, language, *, closed_in, moved) -> list:
    """``(code, label)`` of a card's badges: its designations, closed, moved abroad."""
    badges = [
        (code, designations[code]) for code in org.designations.split() if code in designations
    ]
    if org.status == Organization.Status.CLOSED:
        label = closed_in % {"year": org.status_since.year} if org.status_since else ""
        badges.append(("closed", label or str(Organization.Status.CLOSED.label)))
    if org.id in relocated:
        country = lookups.regions.by_id.get(relocated[org.id])
        label = f"{moved}: {in_language(country, 'name', language)[0]}" if country else moved
        badges.append(("relocated", label))
    return badges


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
    lookups=lambda params: Lookups(
        regions=region_lookup(), activities=activity_lookup(), contacts_cutoff=contacts.cutoff()
    ),
    facets=[
        text_facet(_organization_text),
        region_facet(),
        ManyToManyFacet(
            "activity",
            pgettext_lazy("facet", "Type of work"),
            field=Organization.activities.field,
            choices=lambda lk: named_choices(lk.activities.values()),
            modes=True,
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
        TagFacet(
            "designation",
            pgettext_lazy("facet", "Designation"),
            choices=DESIGNATIONS,
            tagged=lambda lk: designated_organizations(),
        ),
        YearFacet(
            "year",
            pgettext_lazy("facet", "Active in year"),
            condition=events.active_in_year,
            minimum=MIN_YEAR,
            maximum=MAX_YEAR,
        ),
        DecadeFacet(
            "founded",
            pgettext_lazy("facet", "Founded"),
            field="founded",
            minimum=MIN_YEAR,
            maximum=MAX_YEAR,
            unknown_label=pgettext_lazy("founded", "year not known"),
        ),
        YearFacet(
            "designated_in",
            pgettext_lazy("facet", "Designated in year"),
            condition=events.designated_in_year,
            minimum=MIN_YEAR,
            maximum=MAX_YEAR,
        ),
    ],
    sorts=[RELEVANCE, NAME, UPDATED, FOUNDED],
    default_sort="name",
    relevance_note=NAME_NOTE,
    narrow_text_match=True,
    cards=organization_cards,
    # The cards show whether contacts are historical, which changes with the day.
    cards_key=lambda lookups: str(lookups.contacts_cutoff),
    template="directory/organization_list.html",
    export=exports.organization_export,
    export_url_name="directory:organization_export",
    statistics_url_name="directory:statistics",
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


# Practical experience: what groups did, where, when and with which types of work.
PRACTICE_TITLE = Sort("title", pgettext_lazy("sort", "title"), by_name("title"))
PRACTICE_RELEVANCE = Sort(
    "relevance", pgettext_lazy("sort", "relevance"), by_name("title"), relevance=True
)
PRACTICE_NEWEST = Sort(
    "-start",
    pgettext_lazy("sort", "newest first"),
    lambda language: [F("start_date").desc(nulls_last=True), *by_name("title")(language)],
)


def _named_only(queryset):
    return queryset.only("id", "slug", "name_ru", "name_en")


def _practice_related(rows):
    """What a practice card names: its published organizations, types of work, regions."""
    return rows.prefetch_related(
        Prefetch(
            "organizations",
            queryset=_named_only(Organization.objects.published()),
            to_attr="public_organizations",
        ),
        Prefetch(
            "activities", queryset=_named_only(ActivityType.objects), to_attr="public_activities"
        ),
        Prefetch(
            "regions",
            # Root first: "Russia, Podolsk".
            queryset=Region.objects.only("id", "slug", "name_ru", "name_en", "path").order_by(
                "path"
            ),
            to_attr="public_regions",
        ),
    )


def practice_cards(page, lookups, language: str) -> dict[int, Practice]:
    """A page of the practices list as its cards show it (``_practice_cards.html``):
    ``{id: practice}``; the framework caches the page's ids and its cards' HTML."""
    return {practice.pk: practice for practice in _practice_related(page)}


PRACTICES = Listing(
    name="practices",
    queryset=Practice.objects.published,
    related=_practice_related,
    cards=practice_cards,
    lookups=lambda params: Lookups(
        regions=region_lookup(),
        activities=activity_lookup(),
        organizations=chosen_organizations(params),
    ),
    facets=[
        text_facet(),
        ManyToManyTreeFacet(
            "region",
            pgettext_lazy("facet", "Region"),
            field=Practice.regions.field,
            tree=lambda lk: lk.regions,
        ),
        ManyToManyFacet(
            "activity",
            pgettext_lazy("facet", "Type of work"),
            field=Practice.activities.field,
            choices=lambda lk: named_choices(lk.activities.values()),
            hide_empty=True,
            modes=True,
        ),
        RelatedFacet(
            "organization",
            pgettext_lazy("facet", "Organization"),
            link=Practice.organizations.through,
            owner="practice",
            target="organization",
            chosen=lambda lk: lk.organizations,
            counted=lambda: Practice.organizations.through.objects.filter(
                visibility.published("organization__")
            ),
            size=ORGANIZATION_FACET_SIZE,
        ),
        YearFacet(
            "year",
            pgettext_lazy("facet", "Under way in year"),
            condition=running_in_year,
            minimum=MIN_YEAR,
            maximum=MAX_YEAR,
        ),
    ],
    sorts=[PRACTICE_RELEVANCE, PRACTICE_TITLE, PRACTICE_NEWEST, UPDATED],
    default_sort="title",
    relevance_note=_("Sorting by relevance needs a search query: sorted by title."),
    template="directory/practice_list.html",
    export=exports.practice_export,
    export_url_name="directory:practice_export",
    cache=freshness,
)
