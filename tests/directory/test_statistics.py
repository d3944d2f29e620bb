"""The statistics page: its numbers are the organization list's for the same filters,
every bar and number links to the list that gives it, drafts count nowhere, and the
page stays light."""

import datetime
import html
import json
import re
from urllib.parse import urlencode

import pytest

from directory.models import Organization, Region
from directory.statistics import TOP
from sitedata.services import load_sample_data
from tests.factories import (
    ActivityTypeFactory,
    OrganizationEventFactory,
    OrganizationFactory,
    RegionFactory,
    perm_chambers,
)
from tests.html import page

pytestmark = pytest.mark.django_db

# The page's size limit: light enough for a phone.
MAX_BYTES = 60_000


def event(org, kind, date, **kwargs):
    return OrganizationEventFactory(organization=org, kind=kind, date=date, **kwargs)


def region(name, kind, parent=None):
    return RegionFactory(name_en=name, name_ru=f"{name} (ru)", kind=kind, parent=parent)


@pytest.fixture
def directory(db):
    """Fictional groups over a tree of countries and macro-regions, with dated events."""
    C, M, S = Region.Kind.COUNTRY, Region.Kind.MACRO_REGION, Region.Kind.SUBJECT
    russia = region("Russia", C)
    caucasus = region("North Caucasus", M, russia)
    dagestan = region("Dagestan", S, caucasus)
    chechnya = region("Chechnya", S, caucasus)
    siberia = region("Siberia", M, russia)
    west = region("Western Siberia", M, siberia)
    novosibirsk = region("Novosibirsk Oblast", S, west)
    transcaucasia = region("Transcaucasia", M)
    georgia = region("Georgia", C, transcaucasia)
    asia = region("Central Asia", M)
    legal, monitoring, aid = (
        ActivityTypeFactory(name_en=n, name_ru=f"{n} (ru)") for n in ("Legal", "Monitoring", "Aid")
    )
    G, N, INT = (Organization.Kind.GROUP, Organization.Kind.NGO, Organization.Kind.INTERNATIONAL)
    rows = [
        # (region, activities, kind, founded)
        (dagestan, [legal, monitoring], G, 1989),
        (dagestan, [legal], G, 1995),
        (chechnya, [monitoring, aid], N, 2000),
        (caucasus, [aid], G, None),
        (novosibirsk, [legal], G, 1991),
        (west, [monitoring], N, 2012),
        (siberia, [legal, aid], G, 2015),
        (russia, [legal], INT, 1976),
        (georgia, [monitoring], N, 1998),
        (transcaucasia, [legal], G, 2005),
        (asia, [aid], INT, 2010),
        (None, [legal], G, 2020),
    ]
    orgs = [
        OrganizationFactory(
            name_en=f"Group {i:02d} rights",
            name_ru=f"Группа {i:02d} правозащитная",
            region=place,
            activities=activities,
            kind=kind,
            founded=founded,
        )
        for i, (place, activities, kind, founded) in enumerate(rows)
    ]
    event(orgs[0], "foreign_agent", "2015-11")
    event(orgs[0], "liquidated", "2016-02")
    event(orgs[2], "foreign_agent", "2014")
    event(orgs[2], "undesirable", "2020-06")
    event(orgs[4], "undesirable", "2020")
    event(orgs[5], "suspended", "2019")
    event(orgs[8], "foreign_agent", "2022-03-01")
    event(orgs[9], "ceased", "2010")
    # Staff notes and drafts count nowhere.
    event(orgs[1], "foreign_agent", "2018", is_public=False)
    draft = OrganizationFactory(
        name_en="Draft rights group", region=dagestan, activities=[legal], founded=1990,
        is_published=False,
    )  # fmt: skip
    event(draft, "foreign_agent", "2015")
    event(draft, "undesirable", "2021")
    return {
        "caucasus": caucasus, "dagestan": dagestan, "russia": russia, "siberia": siberia,
        "georgia": georgia, "transcaucasia": transcaucasia, "legal": legal,
        "monitoring": monitoring, "aid": aid,
    }  # fmt: skip


def found(response) -> int:
    """The number of organizations a list (or the statistics) page says it has."""
    assert response.status_code == 200
    text = page(response).find(id="result-count").text
    return int(re.search(r"\d+", text)[0])


def charts(response) -> dict[str, list[tuple[str, int, str]]]:
    """``{chart title: [(label, number, link)]}`` as the tables under the charts give
    them; each table's bars checked against its SVG (same links, numbers, order)."""
    assert response.status_code == 200
    shown = {}
    for section in page(response).find_all("section", class_="chart"):
        svg = section.find("svg")
        assert svg["role"] == "graphics-document"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.find("title")["id"] == title_id and svg.find("desc")["id"] == desc_id
        rows = [
            (row.find("th").text, int(row.find("a").text), row.find("a")["href"])
            for row in section.find("tbody").find_all("tr")
        ]
        bars = [(int(link.find_all("text")[-1].text), link["href"]) for link in svg.find_all("a")]
        assert bars == [(n, url) for _label, n, url in rows]
        shown[section.find("h2").text] = rows
    return shown


def sidebar(response, facet: str) -> dict[str, int]:
    """A facet's options on the list page with their counts."""
    fieldset = page(response).find("fieldset", id=f"facet-{facet}")
    return {
        item.find("label").text: int(item.find("span", class_="facet-count").text)
        for item in fieldset.find_all("li")
        if item.find_all("span", class_="facet-count")
    }


def query(directory, filters: dict) -> str:
    values = {
        key: [directory[v].slug if v in directory else v for v in vals]
        if isinstance(vals, list)
        else (directory[vals].slug if vals in directory else vals)
        for key, vals in filters.items()
    }
    return "?" + urlencode(values, doseq=True) if values else ""


FILTERS = [
    {},
    {"region": "caucasus"},
    {"region": "russia", "kind": "group"},
    {"activity": "legal"},
    {"activity": ["legal", "monitoring"]},
    {"activity": ["legal", "monitoring"], "activity_mode": "all"},
    {"q": "rights", "region": "siberia"},
    {"q": "правозащитная", "status": "active"},
    {"founded": ["1990", "unknown"]},
    {"year": "2016"},
    {"designation": "foreign_agent"},
    {"designated_in": "2020", "kind": "group"},
    # Bad input: each dropped with the list's own note.
    {"region": "atlantis", "founded": "1995", "year": "abc", "activity_mode": "some"},
    {"designated_in": "99999", "activity": "nope", "kind": ["group", "bogus"]},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: urlencode(f, doseq=True) or "all")
def test_every_bar_links_to_a_list_of_exactly_its_number(client, directory, filters):
    url = "/en/statistics/" + query(directory, filters)
    response = client.get(url)
    listed = client.get("/en/organizations/" + query(directory, filters))
    # The same total and the same notes as the list.
    assert found(response) == found(listed)
    notes = page(listed).find_all("ul", class_="filter-note")
    shown = page(response).find_all("ul", class_="filter-note")
    assert [n.text for n in shown] == [n.text for n in notes]
    drawn = charts(response)
    assert drawn, "no chart drawn"
    for title, rows in drawn.items():
        for label, number, link in rows:
            assert link.startswith("/en/organizations/")
            assert found(client.get(link)) == number, (title, label, link)


@pytest.mark.parametrize("filters", FILTERS[:9], ids=lambda f: urlencode(f, doseq=True) or "all")
@pytest.mark.parametrize("language", ["ru", "en"])
def test_facet_charts_show_the_lists_facet_counts(client, directory, filters, language):
    q = query(directory, filters)
    drawn = charts(client.get(f"/{language}/statistics/{q}"))
    listed = client.get(f"/{language}/organizations/{q}")
    titles = {
        "ru": {"activity": "Направления работы", "kind": "Типы организаций",
               "status": "Статус сейчас", "designation": "Признаны властями: сейчас",
               "founded": "Основаны, по десятилетиям"},
        "en": {"activity": "Types of work", "kind": "Kinds", "status": "Status now",
               "designation": "Designations now", "founded": "Founded, by decade"},
    }[language]  # fmt: skip
    for facet, title in titles.items():
        options = {label: n for label, n in sidebar(listed, facet).items() if n}
        bars = {label: n for label, n, _link in drawn.get(title, []) if n}
        assert bars == options, facet


def test_the_numbers_of_the_whole_directory(client, directory):
    drawn = charts(client.get("/en/statistics/"))

    def numbers(title):
        return [(label, n) for label, n, _link in drawn[title]]

    assert found(client.get("/en/statistics/")) == 12  # the draft is not counted
    assert numbers("Countries") == [("Russia", 8), ("Georgia", 1)]
    assert numbers("Macro-regions") == [
        ("North Caucasus", 4), ("Siberia", 3), ("Transcaucasia", 2), ("Western Siberia", 2),
        ("Central Asia", 1),
    ]  # fmt: skip
    assert numbers("Types of work") == [("Legal", 7), ("Aid", 4), ("Monitoring", 4)]
    assert numbers("Founded, by decade") == [
        ("1970–1979", 1), ("1980–1989", 1), ("1990–1999", 3), ("2000–2009", 2),
        ("2010–2019", 3), ("2020–2029", 1), ("year not known", 1),
    ]  # fmt: skip
    assert numbers("Status now") == [("active", 9), ("closed", 2), ("inactive", 1)]
    assert numbers("Designations now") == [
        ("“foreign agent”", 3),
        ("“undesirable organization”", 2),
    ]
    # Public designation events by year; the staff note of 2018 and the draft's count not.
    assert numbers("Designated, by year") == [("2014", 1), ("2015", 1), ("2020", 2), ("2022", 1)]
    # The list's "Active in year": founded by then or not known, not closed before.
    years = dict(numbers("Active, by year"))
    assert min(years) == "1975" and str(datetime.date.today().year) in years
    assert years["1975"] == 1  # founding year not known
    assert years["1990"] == 3  # + 1976, 1989
    assert years["2015"] == 10  # not the one closed in 2010 (the one closed in 2016 is)
    text = page(client.get("/en/statistics/")).find("main").text
    assert "1 organizations are in a region of several countries" not in text
    assert "2 organizations are in a region of several countries" in text  # + Transcaucasia
    assert "1 organizations have no region and are in no bar." in text


def test_a_chosen_region_shows_the_regions_below_it(client, directory):
    response = client.get("/en/statistics/?region=north-caucasus")
    drawn = charts(response)
    assert "Countries" not in drawn  # none inside the North Caucasus
    assert [(label, n) for label, n, _ in drawn["Within North Caucasus"]] == [
        ("Dagestan", 2),
        ("Chechnya", 1),
    ]
    text = page(response).find("main").text
    assert "1 organizations are placed in North Caucasus itself" in text
    # The chips of the list, each removing its filter on this page.
    chips = page(response).find("ul", class_="chips").find_all("a")
    assert [chip["href"] for chip in chips] == ["?#result-count"]
    link = page(response).find(id="result-count").find("a")["href"]
    assert link == "/en/organizations/?region=north-caucasus"


def test_russian_page_speaks_russian(client, directory):
    response = client.get("/ru/statistics/?region=russia")
    drawn = charts(response)
    assert "Внутри региона «Russia (ru)»" in drawn
    assert ("North Caucasus (ru)", 4) in [(label, n) for label, n, _ in drawn["Макрорегионы"]]
    assert all(link.startswith("/ru/organizations/") for r in drawn.values() for *_, link in r)


def test_bad_input_is_never_an_error(client, directory):
    for q in (
        "?region=%00",
        "?founded=1990&founded=1990x&founded=-10",
        "?year=" + "9" * 500,
        "?designated_in=2020&designated_in=2021",
        "?q=%F0%9F%98%80",
        "?page=zz&sort=x",
    ):
        assert client.get("/ru/statistics/" + q).status_code == 200
        assert client.get("/en/organizations/" + q).status_code == 200


def test_founded_decade_filter_on_the_list(client, directory):
    response = client.get("/en/organizations/?founded=1990&founded=unknown&founded=1995")
    assert found(response) == 4
    assert sidebar(response, "founded")["1990–1999"] == 3
    notes = page(response).find("ul", class_="filter-note").text
    assert "“1995” is not the first year of a decade" in notes
    chips = [chip.text for chip in page(response).find("ul", class_="chips").find_all("a")]
    assert any("Founded: 1990–1999" in chip for chip in chips)
    export = client.get("/en/organizations/export.json?founded=2010")
    rows = json.loads(b"".join(export.streaming_content))
    names = sorted(row["name"] for row in rows)
    assert names == ["Group 05 rights", "Group 06 rights", "Group 10 rights"]


def test_page_is_light_with_the_sample_data(client, db):
    load_sample_data()
    for language in ("ru", "en"):
        response = client.get(f"/{language}/statistics/")
        assert charts(response)
        assert len(response.content) < MAX_BYTES


def test_page_is_light_with_a_big_directory(client, world):
    """Hundreds of organizations over dozens of countries and macro-regions, many
    types of work and decades: long charts are cut to their top bars, with a note."""
    activities = [ActivityTypeFactory(name_en=f"Long type of work number {n} of a directory")
                  for n in range(30)]  # fmt: skip
    perm_chambers(world, lambda n: activities[n % 7 : n % 7 + 3], count=60)
    for n in range(40):
        macro = region(f"Macro-region with a long name {n}", Region.Kind.MACRO_REGION)
        country = region(f"Country with a rather long name {n}", Region.Kind.COUNTRY, macro)
        place = region(f"Province {n}", Region.Kind.SUBJECT, country)
        for i in range(6):
            org = OrganizationFactory(
                region=place, founded=1900 + (n * 6 + i) % 125, activities=activities[i::5]
            )
            if i == 0:
                event(org, "foreign_agent", f"{1990 + n}")
    for language in ("ru", "en"):
        response = client.get(f"/{language}/statistics/")
        drawn = charts(response)
        capped = ("country", "macro-region", "activity")
        titles = [s.find("h2").text for s in page(response).find_all("section", class_="chart")
                  if s["aria-labelledby"].split("-", 1)[1].rsplit("-", 1)[0] in capped]  # fmt: skip
        assert len(titles) == 3 and all(len(drawn[title]) == TOP for title in titles)
        size = len(response.content)
        assert size < MAX_BYTES, size
    assert "The 12 countries with the most organizations are shown, of 41" in (
        page(client.get("/en/statistics/")).find("main").text
    )


@pytest.mark.parametrize(
    "first, last, years",
    [
        (1976, 2026, [1975, *range(1980, 2026, 5), 2026]),
        (1800, 2026, [*range(1800, 2021, 20), 2026]),
        (2090, 2026, [2025, 2026]),  # a founding year still to come
        (2026, 2026, [2025, 2026]),
    ],
)
def test_years_of_the_active_chart(first, last, years):
    from directory.statistics import _years_shown

    assert _years_shown(first, last) == years


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_list_links_to_the_charts_of_its_filters_and_back(client, directory, language):
    listed = client.get(f"/{language}/organizations/?kind=group&founded=1990")
    text = listed.content.decode()
    link = next(
        href
        for href in re.findall(r'href="([^"]+)"', text)
        if href.startswith(f"/{language}/statistics/?")  # not the navigation's link
    )
    assert "kind=group" in link and "founded=1990" in link
    charts_page = client.get(html.unescape(link))
    assert found(charts_page) == listed.context["result"].total
    body = charts_page.content.decode()
    # Its downloads are the list's, the spreadsheet included.
    assert f"/{language}/organizations/export.xlsx?" in html.unescape(body)
