"""Reference tests of the speed tricks of ``listing.readers``: each gives what the plain
SQL path gives (same rows in the same order, same counts) for many filter combinations."""

import random
from itertools import product

import pytest
from django.core.cache import cache
from django.http import QueryDict

from directory.listings import ORGANIZATIONS
from directory.models import Organization, Region
from listing import readers
from rightsnet.text import name_key
from tests.factories import (
    ActivityTypeFactory,
    OrganizationEventFactory,
    OrganizationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

SORTS = ["", "sort=name", "sort=-updated", "sort=founded"]


@pytest.fixture
def crowd():
    """Sixty organizations spread at random over a small tree, kinds, statuses and works,
    some with short or other names that a search names exactly, some demo entries."""
    rng = random.Random(11)
    russia = RegionFactory(name_en="Russia", slug="russia", kind=Region.Kind.COUNTRY)
    caucasus = RegionFactory(name_en="Caucasus", slug="caucasus", parent=russia)
    regions = [
        russia,
        caucasus,
        RegionFactory(name_en="Chechnya", slug="chechnya", parent=caucasus),
        RegionFactory(name_en="Ukraine", slug="ukraine", kind=Region.Kind.COUNTRY),
        None,
    ]
    works = [ActivityTypeFactory(slug=slug) for slug in ("legal", "prisons", "media")]
    words = ["legal", "watch", "aid", "memory", "rights"]
    for n in range(60):
        org = OrganizationFactory(
            name_en=f"{rng.choice(words)} {rng.choice(words)} {n}",
            region=rng.choice(regions),
            activities=rng.sample(works, rng.randint(0, 2)),
            kind=rng.choice(Organization.Kind.values[:3]),
            status=rng.choice(Organization.Status.values),
            founded=rng.choice([None, 1990, 1995, 2001]),
            is_published=n % 9 != 0,
            short_name_en=rng.choice(["", "", "LW", "Legal"]),
            aliases=rng.choice(["", "", "rights watch", "Legal aid\nВодный мир", "Watch"]),
            is_demo=rng.random() < 0.4,
        )
        # Designations and closures (public or not) for the "designation" and "year" filters.
        for kind in rng.sample(["foreign_agent", "undesirable", "liquidated"], rng.randint(0, 2)):
            OrganizationEventFactory(
                organization=org, kind=kind, date=f"{rng.choice([1998, 2015, 2023])}",
                is_public=rng.random() < 0.8,
            )  # fmt: skip


def combinations():
    regions = ["", "region=russia", "region=chechnya", "region=ukraine"]
    works = ["", "activity=legal", "activity=prisons&activity=media"]
    kinds = ["", f"kind=ngo&kind={Organization.Kind.values[1]}"]
    statuses = ["", f"status={Organization.Status.values[0]}"]
    for q, *rest in product(["q=legal", "q=rights watch"], regions, works, kinds, statuses):
        yield "&".join(part for part in (q, *rest) if part)


def event_combinations():
    """The filters that events decide, with a search and the other filters."""
    designations = [
        "",
        "designation=foreign_agent",
        "designation=undesirable&designation=foreign_agent",
    ]
    years = ["", "year=1996", "year=2020"]
    others = ["", "status=closed", "region=russia&activity=legal"]
    for q, *rest in product(["q=legal", "q=rights watch"], designations, years, others):
        yield "&".join(part for part in (q, *rest) if part)


def seen(query: str):
    """What a page shows of ``query``: links of every page in order, total and counts."""
    result = ORGANIZATIONS.search(QueryDict(query), "en", facets=True)
    counts = {f.name: [(o.value, o.count) for o in f.options] for f in result.facets}
    pages = [[card["url"] for card in result.page(n, 7).object_list] for n in (1, 2, 3)]
    return pages, result.total, counts, [o.get_absolute_url() for o in result.queryset]


@pytest.mark.parametrize(
    ("sort", "combined"),
    [*((sort, combinations) for sort in SORTS), ("", event_combinations)],
    ids=[*SORTS, "events"],
)
def test_the_text_match_in_memory_gives_what_sql_gives(crowd, monkeypatch, sort, combined):
    queries = [f"{query}&{sort}" if sort else query for query in combined()]
    assert_both_paths_agree(queries, monkeypatch)


@pytest.mark.parametrize(
    "q", ["q=legal aid", "q=LW", "q=watch", "q=Водный мир", "q=vodnyi mir", "q=watch aid"]
)
def test_the_relevance_order_in_memory_is_the_sql_order(crowd, monkeypatch, q):
    """Names matched exactly or in part, and demo entries, ranked alike by both paths."""
    filters = ["", "region=russia", "kind=ngo&kind=group", "activity=legal"]
    assert_both_paths_agree([f"{q}&{f}" if f else q for f in filters], monkeypatch)
    # The order is the rule's: the name matched exactly, then in part; real before demo.
    rows = list(ORGANIZATIONS.search(QueryDict(q), "en").queryset)
    ranks = [(-name_match(org, q.removeprefix("q=")), org.is_demo) for org in rows]
    assert ranks == sorted(ranks) and len(set(ranks)) > 1


def name_match(org, q: str) -> int:
    """The relevance order's name match, in plain Python: 2 when ``q`` is a name of the
    row, 1 when it is a run of whole words of one, else 0."""
    names = [org.name_ru, org.name_en, org.short_name_ru, org.short_name_en]
    names += org.former_names.splitlines() + org.aliases.splitlines()
    keys = {name_key(name) for name in names if name}
    key = name_key(q)
    return 2 if key in keys else 1 if any(f" {key} " in f" {k} " for k in keys) else 0


def assert_both_paths_agree(queries, monkeypatch):
    narrowed, narrow = [], readers.narrow
    monkeypatch.setattr(
        readers, "narrow", lambda *args: narrowed.append(narrow(*args)) or narrowed[-1]
    )
    in_memory = {query: seen(query) for query in queries}
    assert len(narrowed) == len(queries) and None not in narrowed
    cache.clear()
    monkeypatch.setattr(readers, "MAX_MATCHED_IDS", 0)
    for query in queries:
        pages, total, counts, everything = seen(query)
        assert (pages, total, counts, everything) == in_memory[query], query
        # A page read by cached ids is the same slice of the plain queryset.
        for n, page in enumerate(pages):
            if n * 7 < len(everything):
                assert page == everything[n * 7 : n * 7 + 7]


def test_ids_read_through_the_cursor_are_the_orms(crowd):
    rows = Organization.objects.order_by("-founded", "name_en", "pk").values_list("pk")
    assert readers.ids_in_order(rows) == list(rows.values_list("pk", flat=True))
    many = Organization.objects.order_by("pk").values_list("pk", "activities__id", "kind")
    names, rows = readers._rows(many)
    at = [names.index(column) for column in ("pk", "activities__id", "kind")]
    assert [tuple(row[i] for i in at) for row in rows] == list(many)


def test_cached_cards_are_the_rendered_ones_until_a_write(client, crowd):
    """A page's cards from the cache are the cards rendered afresh; a write shows at once."""
    url = "/en/organizations/?sort=name"
    first = client.get(url).content
    assert client.get(url).content == first  # from the cache
    cache.clear()
    assert client.get(url).content == first  # rendered afresh
    shown = Organization.objects.published().order_by("name_en", "pk").first()
    shown.name_en = "Renamed just now"
    shown.save()
    assert b"Renamed just now" in client.get(url).content
