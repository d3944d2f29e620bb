"""Types of work with "any of" or "all of" (``activity_mode=all``): the rows, every
facet's disjunctive counts (checked against a brute-force count over the rows, through
the SQL path and through the in-memory path of a text search), the links that keep the
mode, the exports, and bad values of the mode."""

import csv
import io
import json
import random

import pytest
from django.http import QueryDict

from directory import freshness
from directory.listings import ORGANIZATIONS, PRACTICES
from directory.models import Organization, Region
from tests.factories import ActivityTypeFactory, OrganizationFactory, PracticeFactory, RegionFactory
from tests.html import page

pytestmark = pytest.mark.django_db

KINDS = [Organization.Kind.GROUP, Organization.Kind.NGO]


@pytest.fixture
def world():
    """Two regions under a country, four types of work, 30 organizations with random
    (seeded) types of work, kinds and regions, and a draft that has everything."""
    rng = random.Random(14)
    russia = RegionFactory(name_en="Russia", name_ru="Россия", kind=Region.Kind.COUNTRY)
    regions = [
        RegionFactory(name_en="Tver", name_ru="Тверь", parent=russia),
        RegionFactory(name_en="Perm", name_ru="Пермь", parent=russia),
    ]
    works = [
        ActivityTypeFactory(name_en=name, name_ru=f"Вид {name}", slug=name.lower())
        for name in ("Monitoring", "Legal", "Prisons", "Media")
    ]
    for i in range(30):
        OrganizationFactory(
            name_en=f"Watch group {i}",
            name_ru=f"Группа наблюдения {i}",
            region=rng.choice(regions),
            kind=rng.choice(KINDS),
            activities=rng.sample(works, rng.randint(0, 4)),
        )
    OrganizationFactory(name_en="Watch draft", is_published=False, activities=works)
    freshness.bump()
    return {"russia": russia, "regions": regions, "works": works}


def rows():
    """Every published organization as the brute force reads it."""
    return [
        {
            "slug": org.slug,
            "region": org.region.slug,
            "kind": org.kind,
            "activities": {a.slug for a in org.activities.all()},
        }
        for org in Organization.objects.published().prefetch_related("activities")
    ]


def matches(row, params, skip=None, extra_activity=None) -> bool:
    chosen = set(params.get("activity", []))
    if extra_activity:
        chosen.add(extra_activity)
    every = params.get("activity_mode") == ["all"]
    if skip != "activity" and chosen:
        if every and not chosen <= row["activities"]:
            return False
        if not every and chosen.isdisjoint(row["activities"]):
            return False
    if skip != "kind" and params.get("kind") and row["kind"] not in params["kind"]:
        return False
    if skip != "region" and params.get("region") and row["region"] not in params["region"]:
        return False
    return True


def expected(params, world) -> dict:
    """Total and counts of the types of work, kinds and regions, by brute force."""
    every = params.get("activity_mode") == ["all"]
    everything = rows()
    found = [row for row in everything if matches(row, params)]
    activity = {}
    for work in world["works"]:
        if every:
            # The rows the page would show with this type of work added.
            n = sum(matches(row, params, extra_activity=work.slug) for row in everything)
        else:
            n = sum(
                matches(row, params, skip="activity") and work.slug in row["activities"]
                for row in everything
            )
        activity[work.slug] = n
    kind = {
        str(k): sum(matches(row, params, skip="kind") and row["kind"] == k for row in everything)
        for k in Organization.Kind.values
    }
    region = {
        r.slug: sum(
            matches(row, params, skip="region") and row["region"] == r.slug for row in everything
        )
        for r in world["regions"]
    }
    return {
        "total": len(found),
        "slugs": {row["slug"] for row in found},
        "activity": activity,
        "kind": kind,
        "region": region,
    }


def shown(result, name) -> dict:
    return {option.value: option.count for option in result.facet(name).options}


QUERIES = [
    "",
    "activity=monitoring",
    "activity=monitoring&activity=legal",
    "activity=monitoring&activity=legal&activity_mode=all",
    "activity_mode=all&activity=prisons",
    "region=tver&activity=monitoring&activity=legal&activity_mode=all",
    "region=tver&activity=monitoring&activity=legal",
    "activity=monitoring&activity=legal&activity=prisons&activity_mode=all&kind=ngo",
    "activity=media&activity=prisons&activity_mode=all&kind=group&region=perm",
]


@pytest.mark.parametrize("text", ["", "q=watch"], ids=["sql", "in-memory"])
@pytest.mark.parametrize("query", QUERIES)
def test_rows_and_counts_match_a_brute_force_count_in_both_modes(world, query, text):
    """ "Any of": each option counts with every filter but its own. "All of": each
    option counts the rows adding it would give; a selected one, the current total.
    ``q=watch`` matches every organization and takes the in-memory path."""
    params = QueryDict("&".join(part for part in (query, text) if part))
    brute = expected({k: v for k, v in params.lists() if k != "q"}, world)
    result = ORGANIZATIONS.search(params, "en", facets=True)
    assert result.total == brute["total"]
    assert {org.slug for org in result.queryset} == brute["slugs"]
    assert shown(result, "activity") == brute["activity"]
    assert shown(result, "kind") == brute["kind"]
    region = result.facet("region")
    if "region=" not in query:
        # The country, every region's rows rolled up.
        assert shown(result, "region")["russia"] == sum(brute["region"].values())
    else:
        # The chosen region's count in its breadcrumb.
        chosen = region.breadcrumb[-1]
        assert chosen.count == brute["region"][chosen.value]
    if params.get("activity_mode") == "all":
        for slug in params.getlist("activity"):
            assert shown(result, "activity")[slug] == brute["total"]


def test_all_of_narrows_where_any_of_widens(world):
    one = ORGANIZATIONS.search(QueryDict("activity=monitoring"), "en").total
    either = ORGANIZATIONS.search(QueryDict("activity=monitoring&activity=legal"), "en").total
    both = ORGANIZATIONS.search(
        QueryDict("activity=monitoring&activity=legal&activity_mode=all"), "en"
    ).total
    assert both <= one <= either and both < either


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize(
    "query",
    [
        "activity=monitoring&activity=legal&activity_mode=all",
        "region=tver&activity=monitoring&activity=legal&activity_mode=all",
        "activity=monitoring&activity=legal",
    ],
)
def test_the_exports_hold_the_rows_of_the_page(client, world, query, fmt):
    """The page's download links carry the mode; following one gives the page's rows."""
    html = page(client.get(f"/en/organizations/?{query}"))
    link = next(a for a in html.find_all("a") if f"export.{fmt}" in (a.attrs.get("href") or ""))
    assert ("activity_mode=all" in link["href"]) == ("activity_mode=all" in query)
    response = client.get(link["href"].replace("&amp;", "&"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    if fmt == "json":
        exported = {row["id"] for row in json.loads(body)}
    else:
        header, *lines = csv.reader(io.StringIO(body, newline=""))
        exported = {int(line[header.index("id")]) for line in lines}
    slugs = Organization.objects.filter(pk__in=exported).values_list("slug", flat=True)
    brute = expected(dict(QueryDict(query).lists()), world)
    assert set(slugs) == brute["slugs"] and len(exported) == brute["total"]
    assert response["X-Total-Count"] == str(brute["total"])


def test_every_link_that_keeps_the_filters_keeps_the_mode(client, world):
    query = "activity=monitoring&activity=legal&activity_mode=all&kind=group"
    html = client.get(f"/en/organizations/?{query}").content.decode()
    doc = page(client.get(f"/en/organizations/?{query}"))
    # Facet toggles, chips, sorts, the other language.
    kind = doc.find("fieldset", id="facet-kind")
    assert all("activity_mode=all" in a["href"] for a in kind.find_all("a"))
    chips = [a["href"] for a in doc.find("ul", class_="chips").find_all("a")]
    assert chips and all("activity_mode=all" in href for href in chips)
    assert all(href.endswith("#result-count") for href in chips)
    assert "/ru/organizations/?activity=monitoring&amp;activity=legal&amp;activity_mode=all" in html
    # Sorting is the form's select: the form sends the mode with it (its checked radio).
    radios = doc.find("fieldset", id="facet-activity").find_all("input", type="radio")
    (checked,) = [radio for radio in radios if "checked" in radio.attrs]
    assert (checked["name"], checked["value"]) == ("activity_mode", "all")
    result = ORGANIZATIONS.search(QueryDict(query), "en")
    # Pagination.
    assert "activity_mode=all" in result.page(1, 2).next_url
    # The chips say "all of".
    assert "Type of work, all of: <span>Monitoring</span>" in html
    russian = client.get(f"/ru/organizations/?{query}").content.decode()
    assert "Направление работы, все сразу: <span>Вид Monitoring</span>" in russian


def test_the_switch_is_two_links_and_two_radio_buttons(client, world):
    """Without JavaScript: a link for each mode, and radio buttons the submit button sends."""
    doc = page(client.get("/en/organizations/?activity=monitoring&activity=legal"))
    facet = doc.find("fieldset", id="facet-activity")
    radios = facet.find_all("input", type="radio")
    assert [(r["name"], r["value"], "checked" in r.attrs) for r in radios] == [
        ("activity_mode", "any", True),
        ("activity_mode", "all", False),
    ]
    link = facet.find("div", class_="facet-modes").find("a")
    assert link.text == "all of the selected"
    assert link["href"] == "?activity=monitoring&activity=legal&activity_mode=all#result-count"
    # The form's submit sends activity_mode=all with the boxes: the same page.
    submitted = page(
        client.get("/en/organizations/?activity=monitoring&activity=legal&activity_mode=all")
    )
    radios = submitted.find("fieldset", id="facet-activity").find_all("input", type="radio")
    assert ["checked" in r.attrs for r in radios] == [False, True]
    # Another multi-valued facet says its values combine with "any of".
    kind = doc.find("fieldset", id="facet-kind")
    assert kind.find("p", class_="facet-hint").text == "any of the selected"
    russian = page(client.get("/ru/organizations/"))
    assert russian.find("fieldset", id="facet-kind").find("p", class_="facet-hint").text == (
        "любой из выбранных"
    )


@pytest.mark.parametrize(
    "mode", ["ALL", "x", "all&activity_mode=all", "all&activity_mode=any", "any", "", "%00"]
)
def test_bad_or_default_modes_are_ignored_without_failing(client, world, mode):
    query = f"activity=monitoring&activity=legal&activity_mode={mode}"
    response = client.get(f"/en/organizations/?{query}")
    assert response.status_code == 200
    export = client.get(f"/en/organizations/export.csv?{query}")
    assert export.status_code == 200
    # Read to the end: a started export holds its connection (on PostgreSQL a COPY).
    assert b"".join(export.streaming_content).startswith(b"\xef\xbb\xbf")
    result = ORGANIZATIONS.search(QueryDict(query), "en")
    every = mode.startswith("all")
    brute = expected(
        {"activity": ["monitoring", "legal"], **({"activity_mode": ["all"]} if every else {})},
        world,
    )
    assert result.total == brute["total"]
    assert ("activity_mode" in result.params) == every
    if mode in ("ALL", "x"):
        assert any(f"“{mode}” is not a way to combine" in note for note in result.notes)


def test_practices_have_the_switch_too(world):
    monitoring, legal, prisons, _media = world["works"]
    PracticeFactory(title_en="Both", activities=[monitoring, legal])
    PracticeFactory(title_en="Monitoring only", activities=[monitoring])
    PracticeFactory(title_en="All three", activities=[monitoring, legal, prisons])
    freshness.bump()
    either = PRACTICES.search(QueryDict("activity=monitoring&activity=legal"), "en", facets=True)
    assert either.total == 3
    both = PRACTICES.search(
        QueryDict("activity=monitoring&activity=legal&activity_mode=all"), "en", facets=True
    )
    assert sorted(p.title_en for p in both.queryset) == ["All three", "Both"]
    assert shown(both, "activity") == {"monitoring": 2, "legal": 2, "prisons": 1}
    assert shown(either, "activity") == {"monitoring": 3, "legal": 2, "prisons": 1}
