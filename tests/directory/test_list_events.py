"""What events change on the organization list: badges on the cards, the "designation"
facet and the "active in year" filter, both in the URL, the chips and the exports."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Region
from tests.factories import OrganizationEventFactory, OrganizationFactory, RegionFactory
from tests.html import page

pytestmark = pytest.mark.django_db


def event(org, kind, date, **kwargs):
    return OrganizationEventFactory(organization=org, kind=kind, date=date, **kwargs)


@pytest.fixture
def groups(db):
    """Fictional groups, each with a history of its own shape."""
    lithuania = RegionFactory(name_ru="Литва", name_en="Lithuania", kind=Region.Kind.COUNTRY)
    agent = OrganizationFactory(name_en="Agent Group", name_ru="Группа А", founded=1976)
    event(agent, "foreign_agent", "2015-11")
    both = OrganizationFactory(name_en="Both Group", name_ru="Группа Б", founded=1989)
    event(both, "foreign_agent", "2014")
    event(both, "undesirable", "2020-06")
    event(both, "liquidated", "2023-01-25")
    abroad = OrganizationFactory(name_en="Abroad Group", name_ru="Группа В", founded=2000)
    event(abroad, "undesirable", "2021")
    event(abroad, "relocated", "2022-03", country=lithuania)
    plain = OrganizationFactory(name_en="Plain Group", name_ru="Группа Г", founded=2010)
    noted = OrganizationFactory(name_en="Noted Group", name_ru="Группа Д", founded=None)
    event(noted, "foreign_agent", "2016", is_public=False)
    event(noted, "relocated", "2022", is_public=False)
    back = OrganizationFactory(name_en="Back Group", name_ru="Группа Е", founded=1995)
    event(back, "relocated", "2022", country=lithuania)
    event(back, "ceased", "2024-02")
    draft = OrganizationFactory(name_en="Draft Group", is_published=False, founded=1990)
    event(draft, "foreign_agent", "2015")
    old = OrganizationFactory(
        name_en="Old Group", name_ru="Группа Ж", founded=1950, status="closed"
    )
    return {
        "agent": agent, "both": both, "abroad": abroad, "plain": plain, "noted": noted,
        "back": back, "old": old,
    }  # fmt: skip


def names(response) -> list[str]:
    listed = page(response).find_all("ol", class_="result-list")
    return [item.find("a").text for item in listed[0].items()] if listed else []


def options(response, facet: str) -> list[tuple[str, int]]:
    fieldset = page(response).find("fieldset", id=f"facet-{facet}")
    return [
        (item.find("label").text, int(item.find("span", class_="facet-count").text))
        for item in fieldset.find_all("li")
    ]


def badges(response) -> dict[str, list[str]]:
    found = {}
    for item in page(response).find("ol", class_="result-list").items():
        shown = item.find_all("ul", class_="badges")
        found[item.find("a").text] = [badge.text for badge in shown[0].items()] if shown else []
    return found


# Badges.


def test_cards_show_designations_closed_and_moved_abroad(client, groups):
    assert badges(client.get("/en/organizations/")) == {
        "Abroad Group": ["“undesirable organization”", "moved its work abroad: Lithuania"],
        "Agent Group": ["“foreign agent”"],
        "Back Group": ["closed in 2024"],  # moved, then ceased its work
        "Both Group": ["“foreign agent”", "“undesirable organization”", "closed in 2023"],
        "Noted Group": [],  # its events are for staff only
        "Old Group": ["closed"],  # closed, nobody knows since when
        "Plain Group": [],
    }
    assert badges(client.get("/ru/organizations/")) == {
        "Группа А": ["«иностранный агент»"],
        "Группа Б": ["«иностранный агент»", "«нежелательная организация»", "закрыта в 2023 г."],
        "Группа В": ["«нежелательная организация»", "перенесла работу за рубеж: Литва"],
        "Группа Г": [],
        "Группа Д": [],
        "Группа Е": ["закрыта в 2024 г."],
        "Группа Ж": ["закрыта"],
    }


def test_badges_cost_one_query_per_page_whatever_the_number_of_cards(client, groups):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/organizations/").status_code == 200
        return len(captured)

    few = queries()
    lithuania = Region.objects.get(name_en="Lithuania")
    for n in range(12):
        org = OrganizationFactory(name_en=f"Moved {n}", founded=1990)
        event(org, "relocated", "2022", country=lithuania)
        event(org, "foreign_agent", "2021")
    assert queries() == few
    assert badges(client.get("/en/organizations/"))["Moved 11"] == [
        "“foreign agent”", "moved its work abroad: Lithuania",
    ]  # fmt: skip


# The designation facet.


def test_the_designation_facet_counts_published_rows_with_a_public_designation(client, groups):
    response = client.get("/en/organizations/")
    assert options(response, "designation") == [
        ("“foreign agent”", 2),
        ("“undesirable organization”", 2),
    ]
    russian = client.get("/ru/organizations/")
    assert page(russian).find("fieldset", id="facet-designation").find("legend").text == (
        "Признана властями"
    )
    assert options(russian, "designation") == [
        ("«иностранный агент»", 2),
        ("«нежелательная организация»", 2),
    ]


def test_choosing_designations_finds_rows_with_any_and_keeps_the_counts_disjunctive(client, groups):
    one = client.get("/en/organizations/?designation=undesirable")
    assert names(one) == ["Abroad Group", "Both Group"]
    assert options(one, "designation") == [
        ("“foreign agent”", 2),
        ("“undesirable organization”", 2),
    ]
    both = client.get("/en/organizations/?designation=undesirable&designation=foreign_agent")
    assert names(both) == ["Abroad Group", "Agent Group", "Both Group"]
    # The other facets count with the designation applied, and it with theirs.
    active = client.get("/en/organizations/?designation=undesirable&status=active")
    assert names(active) == ["Abroad Group"]
    assert options(active, "designation") == [
        ("“foreign agent”", 1),
        ("“undesirable organization”", 1),
    ]
    assert dict(options(active, "status"))["closed"] == 1


def test_a_designation_is_a_removable_chip_and_an_unknown_one_a_note(client, groups):
    html = page(client.get("/en/organizations/?designation=foreign_agent&kind=group"))
    chip = html.find("ul", class_="chips").items()[1].find("a")
    assert chip.text.startswith("Designation: “foreign agent”")
    assert chip["href"] == "?kind=group#result-count"

    response = client.get("/en/organizations/?designation=spy")
    assert "Unknown designation “spy” ignored." in response.content.decode()
    assert len(names(response)) == 7


# The "active in year" filter.


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # Founded by then (or not known when), and not closed before the year began.
        (1960, ["Noted Group", "Old Group"]),
        (1990, ["Agent Group", "Both Group", "Noted Group", "Old Group"]),
        (2023, ["Abroad Group", "Agent Group", "Back Group", "Both Group", "Noted Group",
                "Old Group", "Plain Group"]),
        (2024, ["Abroad Group", "Agent Group", "Back Group", "Noted Group", "Old Group",
                "Plain Group"]),
        (2025, ["Abroad Group", "Agent Group", "Noted Group", "Old Group", "Plain Group"]),
    ],
)  # fmt: skip
def test_active_in_a_year(client, groups, year, expected):
    assert names(client.get(f"/en/organizations/?year={year}")) == expected
    # The same with a search, whose rows are filtered in memory.
    searched = client.get(f"/en/organizations/?year={year}&q=group&sort=name")
    assert names(searched) == expected


def test_the_year_is_typed_in_the_sidebar_and_shown_as_a_removable_chip(client, groups):
    html = page(client.get("/en/organizations/?year=2024&designation=undesirable"))

    field = html.find("fieldset", id="facet-year")
    assert field.find("legend").text == "Active in year"
    typed = field.find("input", name="year")
    assert (typed["type"], typed["value"], typed["min"], typed["max"]) == (
        "number", "2024", "1800", "2100",
    )  # fmt: skip
    assert field.find("button")["type"] == "submit"
    chips = [item.find("a") for item in html.find("ul", class_="chips").items()]
    assert [(chip.text.split(" ×")[0], chip["href"]) for chip in chips] == [
        ("Designation: “undesirable organization”", "?year=2024#result-count"),
        ("Active in year: 2024", "?designation=undesirable#result-count"),
    ]
    russian = page(client.get("/ru/organizations/?year=2024"))
    assert russian.find("fieldset", id="facet-year").find("legend").text == "Действовала в году"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("abc", "abc"),
        ("99999", "99999"),
        ("-1", "-1"),
        ("1799", "1799"),
        ("2101", "2101"),
        ("%D9%A1%D9%A9%D9%A9%D9%A5", "١٩٩٥"),
        ("19.5", "19.5"),
        ("1" * 500, "1" * 59 + "…"),
    ],
)
def test_a_year_that_is_no_year_is_ignored_with_a_note(client, groups, value, shown):
    response = client.get(f"/en/organizations/?year={value}")
    assert response.status_code == 200
    assert (
        f"Filter “Active in year” ignored: “{shown}” is not a year from 1800 to 2100."
        in response.content.decode()
    )
    assert len(names(response)) == 7
    russian = client.get(f"/ru/organizations/?year={value}").content.decode()
    assert f"Фильтр «Действовала в году» не учтён: «{shown}» — не год от 1800 до 2100." in russian


def test_only_one_year_is_used(client, groups):
    response = client.get("/en/organizations/?year=2025&year=1960")
    assert "Only one value of “Active in year” can be used: “2025” was kept." in (
        response.content.decode()
    )
    assert "Plain Group" in names(response)


# Exports of a filtered list.


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_of_a_designation_nobody_has_is_empty(client, fmt):
    OrganizationFactory(name_en="Plain Group")
    response = client.get(f"/en/organizations/export.{fmt}?designation=undesirable")
    assert (response.status_code, response["X-Total-Count"]) == (200, "0")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Plain Group" not in body
    assert names(client.get("/en/organizations/?designation=undesirable")) == []


def test_exports_honour_the_designation_and_the_year(client, groups):
    response = client.get("/en/organizations/export.csv?designation=foreign_agent&year=2024")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [row["name_en"] for row in rows] == ["Agent Group"]
    response = client.get("/en/organizations/export.json?year=1960")
    assert response["X-Total-Count"] == "2"
    # Read to the end, as a client does (the export holds its connection until then).
    rows = json.loads(b"".join(response.streaming_content))
    assert sorted(row["name_en"] for row in rows) == ["Noted Group", "Old Group"]
