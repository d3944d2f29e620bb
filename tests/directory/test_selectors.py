"""Selectors of the organization and people lists: every facet rule."""

import pytest
from django.http import QueryDict

from directory import freshness
from directory.listings import ORGANIZATION_FACET_SIZE, ORGANIZATIONS, PEOPLE
from directory.models import Organization, Region
from listing.facets import TOP_OPTIONS
from tests.factories import (
    ActivityTypeFactory,
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def search(query: str = "", language: str = "en"):
    return ORGANIZATIONS.search(QueryDict(query), language)


def names(result) -> list[str]:
    return [org.name_en for org in result.queryset]


def options(result, facet: str) -> dict[str, tuple[int, bool]]:
    return {o.value: (o.count, o.selected) for o in result.facet(facet).options}


@pytest.fixture
def world():
    """Two countries, a macro-region with two subjects; three types of work."""
    russia = RegionFactory(name_en="Russia", name_ru="Россия", kind=Region.Kind.COUNTRY)
    ukraine = RegionFactory(name_en="Ukraine", name_ru="Украина", kind=Region.Kind.COUNTRY)
    caucasus = RegionFactory(
        name_en="North Caucasus",
        name_ru="Северный Кавказ",
        parent=russia,
        kind=Region.Kind.MACRO_REGION,
    )
    chechnya = RegionFactory(name_en="Chechnya", name_ru="Чечня", parent=caucasus)
    dagestan = RegionFactory(name_en="Dagestan", name_ru="Дагестан", parent=caucasus)
    moscow = RegionFactory(name_en="Moscow", name_ru="Москва", parent=russia)
    legal = ActivityTypeFactory(name_en="Legal defense", name_ru="Правовая защита")
    prisons = ActivityTypeFactory(name_en="Prisons", name_ru="Тюрьмы")
    media = ActivityTypeFactory(name_en="Media", name_ru="СМИ")
    OrganizationFactory(name_en="Grozny Legal", region=chechnya, activities=[legal])
    OrganizationFactory(
        name_en="Grozny Prisons",
        region=chechnya,
        activities=[prisons, legal],
        kind=Organization.Kind.NGO,
    )
    OrganizationFactory(
        name_en="Makhachkala Watch",
        region=dagestan,
        activities=[prisons],
        status=Organization.Status.CLOSED,
    )
    OrganizationFactory(name_en="Moscow Media", region=moscow, activities=[media])
    OrganizationFactory(name_en="Kyiv Legal", region=ukraine, activities=[legal])
    OrganizationFactory(
        name_en="Secret Draft", region=chechnya, activities=[legal, prisons], is_published=False
    )
    return {
        "russia": russia,
        "caucasus": caucasus,
        "chechnya": chechnya,
        "legal": legal,
        "prisons": prisons,
        "media": media,
    }


def test_no_filters_lists_every_published_organization_by_name(world):
    result = search()
    assert names(result) == [
        "Grozny Legal",
        "Grozny Prisons",
        "Kyiv Legal",
        "Makhachkala Watch",
        "Moscow Media",
    ]
    assert result.total == 5
    assert result.notes == []


def test_region_includes_every_region_below_it(world):
    assert names(search("region=russia")) == [
        "Grozny Legal",
        "Grozny Prisons",
        "Makhachkala Watch",
        "Moscow Media",
    ]
    assert names(search("region=north-caucasus")) == [
        "Grozny Legal",
        "Grozny Prisons",
        "Makhachkala Watch",
    ]
    assert names(search("region=chechnya")) == ["Grozny Legal", "Grozny Prisons"]


def test_region_facet_shows_roots_then_breadcrumb_and_next_level(world):
    top = search().facet("region")
    assert [(o.label, o.count) for o in top.options] == [("Russia", 4), ("Ukraine", 1)]
    assert top.breadcrumb == []

    facet = search("region=north-caucasus").facet("region")
    assert [(c.label, c.count) for c in facet.breadcrumb] == [
        ("Russia", 4),
        ("North Caucasus", 3),
    ]
    assert [(o.label, o.count) for o in facet.options] == [("Chechnya", 2), ("Dagestan", 1)]
    assert facet.options[0].toggle_url == "?region=chechnya"
    assert facet.breadcrumb[0].url == "?region=russia"
    assert facet.all_url == "?"


def test_region_counts_roll_up_with_other_filters(world):
    facet = search("activity=prisons").facet("region")
    assert [(o.label, o.count) for o in facet.options] == [("Russia", 2), ("Ukraine", 0)]
    facet = search("activity=legal-defense").facet("region")
    assert [(o.label, o.count) for o in facet.options] == [("Russia", 2), ("Ukraine", 1)]


def test_values_of_one_facet_combine_with_or(world):
    result = search("activity=prisons&activity=media")
    assert names(result) == ["Grozny Prisons", "Makhachkala Watch", "Moscow Media"]


def test_facets_combine_with_and(world):
    result = search("activity=legal-defense&region=north-caucasus&kind=group")
    assert names(result) == ["Grozny Legal"]


def test_counts_are_disjunctive(world):
    result = search("activity=prisons&region=russia")
    # Activity counts ignore the activity filter but apply the region filter.
    assert options(result, "activity") == {
        "legal-defense": (2, False),
        "media": (1, False),
        "prisons": (2, True),
    }
    # Kind and status counts apply both the activity and the region filters.
    assert options(result, "kind")["group"] == (1, False)
    assert options(result, "kind")["ngo"] == (1, False)
    assert options(result, "status")["closed"] == (1, False)
    assert options(result, "status")["active"] == (1, False)


def test_selected_option_count_and_toggle_links(world):
    result = search("activity=prisons&kind=ngo")
    activity = {o.value: o for o in result.facet("activity").options}
    assert activity["prisons"].selected
    assert activity["prisons"].toggle_url == "?kind=ngo"
    assert (
        activity["legal-defense"].toggle_url == "?activity=prisons&activity=legal-defense&kind=ngo"
    )
    kind = {o.value: o for o in result.facet("kind").options}
    assert kind["ngo"].selected and kind["ngo"].count == 1
    assert kind["group"].count == 1  # Makhachkala Watch: a group that works on prisons
    assert kind["ngo"].toggle_url == "?activity=prisons"


def test_drafts_are_excluded_from_results_and_every_count(world):
    result = search("region=chechnya")
    assert "Secret Draft" not in names(result)
    assert result.total == 2
    assert options(result, "activity")["prisons"] == (1, False)
    assert options(result, "activity")["legal-defense"] == (2, False)
    assert sum(o.count for o in result.facet("kind").options) == 2
    assert search().facet("region").options[0].count == 4
    assert search("q=secret").total == 0


def test_chips_name_each_active_filter_with_a_removal_link(world):
    result = search("q=grozny&region=chechnya&activity=prisons&status=active")
    chips = [(c.label, c.value, c.remove_url) for c in result.active_filters]
    assert chips == [
        ("Search", "grozny", "?region=chechnya&activity=prisons&status=active"),
        ("Region", "Chechnya", "?q=grozny&activity=prisons&status=active"),
        ("Type of work", "Prisons", "?q=grozny&region=chechnya&status=active"),
        ("Status", "active", "?q=grozny&region=chechnya&activity=prisons"),
    ]


def test_labels_and_chips_follow_the_language(world):
    result = search("region=chechnya&activity=prisons", language="ru")
    assert [c.value for c in result.active_filters] == ["Чечня", "Тюрьмы"]
    assert [c.label for c in result.facet("region").breadcrumb] == [
        "Россия",
        "Северный Кавказ",
        "Чечня",
    ]


def test_unknown_values_are_ignored_with_a_note(world):
    result = search("region=atlantis&activity=prisons&activity=magic&kind=spy&status=gone")
    assert result.total == 2
    assert result.params == {"activity": ["prisons"]}
    assert result.notes == [
        "Unknown region “atlantis” ignored.",
        "Unknown type of work “magic” ignored.",
        "Unknown kind “spy” ignored.",
        "Unknown status “gone” ignored.",
    ]


def test_notes_are_translated(world):
    result = search("region=atlantis", language="ru")
    assert result.notes == ["Неизвестное значение фильтра «регион»: «atlantis» — не учтено."]


def test_repeated_single_value_parameters_keep_the_first(world):
    result = search("region=chechnya&region=russia&q=legal&q=media")
    assert result.params == {"q": ["legal"], "region": ["chechnya"]}
    assert names(result) == ["Grozny Legal"]
    assert len(result.notes) == 2


def test_repeated_values_of_a_facet_count_once(world):
    result = search("activity=media&activity=media")
    assert result.params == {"activity": ["media"]}
    assert result.notes == []


def test_long_query_is_cut_with_a_note(world):
    result = search("q=" + "a" * 10_000)
    assert len(result.q) == 200
    assert result.notes == ["“Search” was too long and was cut to 200 characters."]
    assert result.total == 0


def test_nul_bytes_are_removed(world):
    result = search("q=gro%00zny&region=chech%00nya")
    assert result.q == "gro zny"
    assert result.notes == ["Unknown region “chech nya” ignored."]


def test_sort_orders(world):
    assert names(search("sort=-updated"))[0] == "Kyiv Legal"
    result = search("sort=sideways")
    assert result.sort == "name"
    assert result.notes == ["Unknown sort order “sideways” ignored."]
    result = search("sort=relevance")
    assert result.sort == "name"
    assert len(result.notes) == 1


def test_founded_sort_puts_unknown_years_last():
    OrganizationFactory(name_en="B", founded=None)
    OrganizationFactory(name_en="C", founded=1989)
    OrganizationFactory(name_en="A", founded=1976)
    assert names(search("sort=founded")) == ["A", "C", "B"]


def test_relevance_is_the_default_with_a_query_and_prefers_names():
    OrganizationFactory(name_en="Aardvark", description_en="Works with prisoners and prisons.")
    OrganizationFactory(name_en="Prison Watch", description_en="Monitoring.")
    result = search("q=prison")
    assert result.sort == "relevance"
    assert names(result) == ["Prison Watch", "Aardvark"]
    assert names(search("q=prison&sort=name")) == ["Aardvark", "Prison Watch"]


def test_queryset_carries_only_public_contacts():
    OrganizationFactory(name_en="Open", email="open@example.org", contacts_public=True)
    OrganizationFactory(name_en="Closed", email="secret@example.org", contacts_public=False)
    emails = {org.name_en: org.public_email for org in search().queryset}
    assert emails == {"Closed": "", "Open": "open@example.org"}


def test_export_reads_the_queryset_without_running_facet_queries(world, django_assert_num_queries):
    # The data version (once, as in a request), regions and types of work.
    with freshness.snapshot(), django_assert_num_queries(3):
        result = search("activity=prisons")
    with django_assert_num_queries(3):  # rows, their types of work, their phones
        rows = list(result.queryset)
    assert [org.name_en for org in rows] == ["Grozny Prisons", "Makhachkala Watch"]
    assert [a.name_en for a in rows[0].public_activities] == ["Legal defense", "Prisons"]


def test_people_filter_by_region_and_organization():
    russia = RegionFactory(name_en="Russia", name_ru="Россия")
    moscow = RegionFactory(name_en="Moscow", name_ru="Москва", parent=russia)
    mhg = OrganizationFactory(name_en="Moscow Helsinki Group", region=moscow)
    memo = OrganizationFactory(name_en="Memorial", region=moscow)
    draft = OrganizationFactory(name_en="Draft Org", region=moscow, is_published=False)
    alexeyeva = PersonFactory(name_en="Lyudmila Alexeyeva", region=moscow)
    kovalev = PersonFactory(name_en="Sergei Kovalev", region=russia)
    PersonFactory(name_en="Hidden Person", region=moscow, is_published=False)
    AffiliationFactory(person=alexeyeva, organization=mhg)
    AffiliationFactory(person=kovalev, organization=memo)
    AffiliationFactory(person=kovalev, organization=draft)

    result = PEOPLE.search(QueryDict("region=moscow"), "en")
    assert [p.name_en for p in result.queryset] == ["Lyudmila Alexeyeva"]

    result = PEOPLE.search(QueryDict(f"organization={mhg.slug}&organization={memo.slug}"), "en")
    assert [p.name_en for p in result.queryset] == ["Lyudmila Alexeyeva", "Sergei Kovalev"]
    counts = {o.label: o.count for o in result.facet("organization").options}
    assert counts == {"Memorial": 1, "Moscow Helsinki Group": 1}
    kovalev_row = [p for p in result.queryset if p.name_en == "Sergei Kovalev"][0]
    assert [a.organization.name_en for a in kovalev_row.public_affiliations] == ["Memorial"]

    result = PEOPLE.search(QueryDict(f"organization={draft.slug}"), "en")
    assert result.total == 2
    assert result.notes == [f"Unknown organization “{draft.slug}” ignored."]

    facet = PEOPLE.search(QueryDict(""), "en").facet("region")
    assert [(o.label, o.count) for o in facet.options] == [("Russia", 2)]


@pytest.mark.parametrize("limit", [0, 2000])
def test_broad_and_narrow_text_matches_give_the_same_rows_and_counts(world, monkeypatch, limit):
    """Up to a limit, the text match is resolved to ids once; past it, kept as a condition."""
    from listing import readers

    monkeypatch.setattr(readers, "MAX_MATCHED_IDS", limit)
    result = search("q=grozny&activity=legal-defense")
    assert names(result) == ["Grozny Legal", "Grozny Prisons"]
    assert result.total == 2
    assert options(result, "activity")["prisons"] == (1, False)
    assert [(o.label, o.count) for o in result.facet("region").options] == [
        ("Russia", 2),
        ("Ukraine", 0),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "q=legal",
        "q=legal&region=russia",
        "q=legal&region=north-caucasus&activity=prisons",
        "q=legal&activity=legal-defense&activity=media&kind=ngo",
        "q=watch&status=closed&region=dagestan",
        "q=legal&kind=ngo&status=active&region=ukraine",
        "q=nowhere",
    ],
)
def test_in_memory_facets_match_the_database_ones(world, monkeypatch, query):
    """Rows the text match found are filtered and counted in memory; SQL must agree."""
    from listing import readers

    OrganizationFactory(name_en="Legal Nowhere", region=None, activities=[])
    OrganizationFactory(name_en="Legal Draft", region=world["chechnya"], is_published=False)

    def snapshot():
        result = search(query)
        facets = {
            f.name: [(o.value, o.count, o.selected) for o in f.options]
            + [(c.value, c.count) for c in f.breadcrumb]
            for f in result.facets
        }
        return names(result), result.total, facets

    in_memory = snapshot()
    assert search(query).notes == []
    monkeypatch.setattr(readers, "MAX_MATCHED_IDS", 0)
    assert snapshot() == in_memory


def test_name_order_falls_back_to_the_other_language():
    OrganizationFactory(name_en="", name_ru="Бета")
    OrganizationFactory(name_en="Zeta", name_ru="Альфа")
    OrganizationFactory(name_en="Alpha", name_ru="Ёж")
    english = [org.name_en or org.name_ru for org in search(language="en").queryset]
    assert english == ["Alpha", "Zeta", "Бета"]
    russian = [org.name_ru for org in search(language="ru").queryset]
    assert russian[:2] == ["Альфа", "Бета"]


def test_list_indexes_exist():
    from django.db import connection

    from directory import search_index

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s", [search_index.TABLE]
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        names = {row[0] for row in cursor.fetchall()}
    assert set(search_index.LIST_INDEXES) <= names


def test_the_organization_facet_shows_the_top_organizations_and_says_it_is_truncated():
    """People's organization facet: the ORGANIZATION_FACET_SIZE with most people, plus any
    chosen, in label order, flagged as truncated only when organizations with people are
    left out; the top TOP_OPTIONS at first, the rest behind "Show all"."""
    size = ORGANIZATION_FACET_SIZE
    person = PersonFactory(is_published=True)
    groups = [
        OrganizationFactory(name_en=f"Group {i:03}", slug=f"group-{i:03}") for i in range(size + 1)
    ]
    for group in groups[:size]:
        AffiliationFactory(person=person, organization=group)
    facet = PEOPLE.search(QueryDict(""), "en").facet("organization")
    assert len(facet.options) == size and not facet.truncated

    AffiliationFactory(person=PersonFactory(is_published=True), organization=groups[7])
    AffiliationFactory(person=person, organization=groups[size])
    freshness.bump()
    facet = PEOPLE.search(QueryDict(""), "en").facet("organization")
    assert facet.truncated
    assert len(facet.options) == size
    assert [o.label for o in facet.options] == sorted(o.label for o in facet.options)
    # The one with two people is among the top ones, which are in label order too.
    assert len(facet.top) == TOP_OPTIONS and len(facet.top) + len(facet.rest) == size
    assert ("Group 007", 2) in [(o.label, o.count) for o in facet.top]

    last = f"group-{size:03}"
    chosen = PEOPLE.search(QueryDict(f"organization={last}"), "en").facet("organization")
    shown = {option.value for option in chosen.options}
    # The chosen one joins the top ones: every organization with people is shown.
    assert last in shown and len(shown) == size + 1 and not chosen.truncated
    assert last in {option.value for option in chosen.top}
