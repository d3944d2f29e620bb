"""The practical experience list: search, facets, period, cards, exports, bad input."""

import json

import pytest
from django.core.cache import cache
from django.http import QueryDict

from directory.dates import PartialDate, period
from directory.listings import PRACTICES
from tests.factories import PracticeFactory, RegionFactory
from tests.lists import list_ids
from tests.pages_data import DRAFT_MARKERS

pytestmark = pytest.mark.django_db

DRAFT_PRACTICE = "DRAFTPRACTICEzq31"


@pytest.fixture
def practices(world):
    """Four published practices (one demo) and two drafts, over the shared world: its
    draft organization does one of them; regions nest (Russia > Moscow Oblast >
    Podolsk)."""
    # The world's: the Legal Culture seminars, by the group and its draft parent, in
    # Podolsk, 1992-1994.
    seminars = world.practice
    seminars.summary_en = "Seminars on legal education; their materials became seven books."
    seminars.summary_ru = "Семинары по правовому просвещению; их материалы стали семью книгами."
    seminars.save()
    networking = PracticeFactory(
        title_en="Networking project",
        title_ru="Сетевой проект",
        summary_en="A database to connect the regional groups.",
        summary_ru="База данных, чтобы связать региональные группы.",
        organizations=[world.org, world.partner],
        activities=[world.monitoring],
        regions=[world.russia, world.city],
        start_date="1996-03",
    )
    visits = PracticeFactory(
        title_en="Prison visits",
        title_ru="Посещения тюрем",
        organizations=[world.partner],
        activities=[world.legal, world.monitoring],
        regions=[world.moscow_oblast],
        end_date="2001",
    )
    demo = PracticeFactory(title_en="Demo exchange", title_ru="Демо-обмен", is_demo=True)
    PracticeFactory(
        title_en=DRAFT_PRACTICE,
        title_ru=DRAFT_PRACTICE,
        summary_en=DRAFT_PRACTICE,
        is_published=False,
        organizations=[world.org],
        activities=[world.legal],
        regions=[world.city],
        start_date="1993",
    )
    return {"seminars": seminars, "networking": networking, "visits": visits, "demo": demo}


def titles(query: str, language: str = "en") -> list[str]:
    result = PRACTICES.search(QueryDict(query), language)
    return [p.title_en for p in result.queryset]


def options(query: str, facet: str) -> dict:
    result = PRACTICES.search(QueryDict(query), "en", facets=True)
    return {o.value: (o.count, o.selected) for o in result.facet(facet).options}


def test_only_published_practices_by_title(practices):
    assert titles("") == [
        "Demo exchange",
        "Legal Culture seminars",
        "Networking project",
        "Prison visits",
    ]
    assert titles("sort=-start") == [
        "Networking project",
        "Legal Culture seminars",
        "Demo exchange",
        "Prison visits",
    ]


def test_search_in_russian_and_transliterated(practices):
    assert titles("q=семинары") == ["Legal Culture seminars"]
    assert titles("q=seminary") == ["Legal Culture seminars"]
    assert titles("q=связать региональные") == ["Networking project"]
    assert titles("q=" + DRAFT_PRACTICE) == []
    assert titles("q=zq") == []


def test_region_includes_sub_regions_and_counts_a_practice_once(practices, world):
    assert titles("region=russia") == [
        "Legal Culture seminars",
        "Networking project",
        "Prison visits",
    ]
    assert titles("region=moscow-oblast") == [
        "Legal Culture seminars",
        "Networking project",
        "Prison visits",
    ]
    assert titles(f"region={world.city.slug}") == ["Legal Culture seminars", "Networking project"]
    # The networking project is in Russia and in Podolsk: one practice in Russia.
    assert options("", "region") == {"russia": (3, False)}
    assert options("region=russia", "region") == {"moscow-oblast": (3, False)}
    assert options("region=moscow-oblast", "region") == {world.city.slug: (2, False)}


def test_disjunctive_counts_leave_out_drafts(practices, world):
    query = f"region={world.city.slug}&activity={world.legal.slug}"
    assert titles(query) == ["Legal Culture seminars"]
    # Types of work counted with the region applied, not the type of work.
    assert options(query, "activity") == {
        world.legal.slug: (1, True),
        world.monitoring.slug: (1, False),
    }
    # Regions counted with the type of work applied, not the region.
    assert options(query, "region") == {}  # Podolsk has no sub-regions
    assert options(f"activity={world.legal.slug}", "region") == {"russia": (2, False)}
    # Only published organizations, each counting published practices.
    assert options("", "organization") == {
        world.org.slug: (2, False),
        world.partner.slug: (2, False),
    }
    assert options(f"organization={world.org.slug}", "activity") == {
        world.legal.slug: (1, False),
        world.monitoring.slug: (1, False),
    }
    assert titles(f"organization={world.org.slug}&organization={world.partner.slug}") == [
        "Legal Culture seminars",
        "Networking project",
        "Prison visits",
    ]
    assert titles(f"organization={world.draft_org.slug}") == titles("")


@pytest.mark.parametrize(
    "year, expected",
    [
        (1991, []),
        (1992, ["Legal Culture seminars"]),
        (1994, ["Legal Culture seminars"]),  # the end year counts
        (1995, []),
        (1996, ["Networking project"]),
        # No end: ongoing. No start: never, whatever the end (Prison visits, until 2001).
        (2000, ["Networking project"]),
        (2100, ["Networking project"]),
    ],
)
def test_year_finds_the_practices_under_way(practices, year, expected):
    assert titles(f"year={year}") == expected


@pytest.mark.parametrize(
    "start, end, en, ru",
    [
        ("1992", "1994", "1992–1994", "1992–1994 гг."),
        ("1992", "1992", "1992", "1992 г."),
        ("1996-03", None, "since March 1996", "с марта 1996 г."),
        ("1992", None, "since 1992", "с 1992 г."),
        (None, "2001", "until 2001", "до 2001 г."),
        ("1992-03", "1994", "March 1992 – 1994", "март 1992 г. – 1994 г."),
        (None, None, "", ""),
    ],
)
def test_period(start, end, en, ru):
    start = PartialDate.parse(start) if start else None
    end = PartialDate.parse(end) if end else None
    assert period(start, end, "en") == en
    assert period(start, end, "ru") == ru


def test_list_page_in_english(client, practices, world):
    html = client.get("/en/practices/").content.decode()
    assert "<h1>Practical experience</h1>" in html
    assert "4 practices found" in html
    assert (
        f'<a href="/en/practices/{practices["seminars"].slug}/">Legal Culture seminars</a>' in html
    )
    assert '<span class="period">1992–1994</span> · Podolsk' in html
    assert '<span class="period">since March 1996</span> · Russia, Podolsk' in html
    assert '<span class="period">until 2001</span> · Moscow Oblast' in html
    assert "their materials became seven books" in html
    assert (
        f'Who did it: <a href="/en/organizations/{world.org.slug}/">Moscow Helsinki Group</a>'
        "</p>" in html
    )
    assert "Types of work: Legal defense, Monitoring</p>" in html
    assert html.count('<span class="badge badge-demo"') == 1
    assert '<a href="/en/practices/" aria-current="page">Practical experience</a>' in html
    for marker in [DRAFT_PRACTICE, *DRAFT_MARKERS.values()]:
        assert marker not in html
    # The sidebar: regions, types of work, organizations, the year.
    assert '<legend class="visually-hidden">Under way in year</legend>' in html
    assert f'value="{world.partner.slug}"' in html


def test_list_page_in_russian(client, practices, world):
    html = client.get("/ru/practices/").content.decode()
    assert "<h1>Практический опыт</h1>" in html
    assert "Найдено практик: 4" in html
    assert "Семинары «Правовая культура»" in html
    assert '<span class="period">1992–1994 гг.</span> · Подольск' in html
    assert '<span class="period">с марта 1996 г.</span> · Россия, Подольск' in html
    assert '<span class="period">до 2001 г.</span> · Московская область' in html
    assert "Кто проводил: <a" in html
    assert "Направления работы: Мониторинг, Правовая защита</p>" in html
    assert '<legend class="visually-hidden">Год проведения</legend>' in html
    html = client.get(f"/ru/practices/?organization={world.partner.slug}").content.decode()
    assert "Найдено практик: 2" in html
    assert "Организация: <span>Мемориал</span>" in html


def test_filters_and_page_links_keep_each_other(client, practices, world):
    html = client.get(f"/en/practices/?region=russia&activity={world.legal.slug}").content.decode()
    assert "2 practices found" in html
    assert (
        f'href="?region=moscow-oblast&amp;activity={world.legal.slug}#result-count">'
        "Moscow Oblast</a>" in html
    )
    assert (
        'href="?region=russia#result-count" title="Remove this filter">'
        "Type of work: <span>Legal defense</span>" in html
    )
    assert '<a class="clear-all" href="/en/practices/#result-count">Clear all</a>' in html


def test_an_empty_list_says_so(client, world):
    html = client.get("/en/practices/?q=nothing").content.decode()
    assert "0 practices found" in html
    assert "No practice matches. Try fewer words or remove a filter." in html


@pytest.mark.parametrize(
    "query, note",
    [
        ("year=abc", "Filter “Under way in year” ignored: “abc” is not a year from 1800 to 2100."),
        ("year=99999", "“99999” is not a year from 1800 to 2100."),
        ("year=1992&year=1993", "Only one value of “Under way in year” can be used"),
        ("region=unknown", "Unknown region “unknown” ignored."),
        ("activity=nothing", "Unknown type of work “nothing” ignored."),
        ("organization=nobody", "Unknown organization “nobody” ignored."),
        ("page=999", "There is no page 999: showing the last page, 1."),
        ("page=-1", "There is no page -1: showing page 1."),
        ("page=abc", "Page “abc” is not a page number: showing page 1."),
        ("sort=relevance", "Sorting by relevance needs a search query: sorted by title."),
        ("sort=DROP", "Unknown sort order “DROP” ignored."),
        ("q=№", "“№” has no letters or digits to search for: showing everything."),
        ("q=" + "я" * 10_000, "“Search” was too long and was cut to 200 characters."),
        ("q=%00%00&year=%00", ""),
        ("q=№1&region=russia%00", ""),
        ("%FF%FE=%00&year[]=1", ""),
    ],
)
def test_bad_input_gives_a_normal_page_with_a_note(client, practices, query, note):
    response = client.get("/en/practices/?" + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "practices found" in html or "practice found" in html
    if note:
        assert note in html
    else:
        assert 'class="filter-note"' not in html


def test_bad_input_notes_in_russian(client, practices):
    html = client.get("/ru/practices/?year=abc&region=atlantis").content.decode()
    assert "«Год проведения»" in html
    assert "Неизвестное значение фильтра «регион»: «atlantis» — не учтено." in html


@pytest.mark.parametrize("size", [5, 60])
@pytest.mark.parametrize("filtered", [False, True])
def test_query_count_is_fixed(client, world, django_assert_num_queries, size, filtered):
    for n in range(size):
        PracticeFactory(
            title_en=f"Watch {n}",
            organizations=[world.org, world.partner],
            activities=[world.legal, world.monitoring],
            regions=[world.city, world.russia],
            start_date=str(1990 + n % 5),
            end_date=str(1990 + n % 5),
        )
    query = (
        f"?q=watch&region=russia&activity={world.legal.slug}&organization={world.org.slug}"
        "&year=1992&sort=-start"
        if filtered
        else ""
    )
    # The data version, regions, types of work, (the chosen organizations), the counts of
    # regions, types of work and organizations, the total, then the page: its ids, the
    # practices, their organizations, types of work and regions.
    with django_assert_num_queries(13 if filtered else 12):
        response = client.get("/en/practices/" + query)
    found = f"{size // 5} practice" if filtered else f"{size + 1} practices"  # and the world's
    assert f"{found}" in response.content.decode()
    # Until the next write, the lookups, counts, the page's ids and its cards' HTML come
    # from the cache: the version, (the chosen organizations) and the total.
    with django_assert_num_queries(3 if filtered else 2):
        response = client.get("/en/practices/" + query)
    assert f"{found}" in response.content.decode()


def test_cached_cards_are_the_rendered_ones_until_a_write(client, world):
    """The page's cards from the cache are the cards rendered afresh (the plain version),
    and a write to what a card names (an organization's name) shows at once."""
    for n in range(3):
        PracticeFactory(title_en=f"Watch {n}", organizations=[world.org], regions=[world.city])
    for url in ("/en/practices/", "/ru/practices/?sort=-start", "/en/practices/?q=watch"):
        first = client.get(url).content
        assert client.get(url).content == first  # from the cache
        cache.clear()
        assert client.get(url).content == first  # rendered afresh
    world.org.name_en = "Renamed just now"
    world.org.save()
    assert b"Renamed just now" in client.get("/en/practices/").content


def export(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "query",
    ["", "region=moscow-oblast", "activity=legal-defense&year=1993", "q=seminary", "sort=-start"],
)
def test_exports_hold_the_rows_of_the_list(client, practices, query):
    listed = list_ids(client, f"/en/practices/?{query}")
    rows = json.loads(export(client, f"/en/practices/export.json?{query}"))
    assert [row["id"] for row in rows] == listed
    lines = export(client, f"/en/practices/export.csv?{query}").decode().splitlines()
    assert [int(line.split(",")[0]) for line in lines[1:]] == listed


def test_export_columns_in_both_languages(client, practices, world):
    rows = {row["title"]: row for row in json.loads(export(client, "/en/practices/export.json"))}
    seminars = rows["Legal Culture seminars"]
    assert seminars == {
        "id": practices["seminars"].pk,
        "slug": practices["seminars"].slug,
        "title": "Legal Culture seminars",
        "summary": "Seminars on legal education; their materials became seven books.",
        "start": "1992",
        "end": "1994",
        "organizations": ["Moscow Helsinki Group"],
        "activities": ["Legal defense"],
        "regions": ["Podolsk"],
        "sources": [],
        "url": f"http://testserver/en/practices/{practices['seminars'].slug}/",
        "demo": False,
        "organization_slugs": ["moscow-helsinki-group"],
        "activity_slugs": ["legal-defense"],
        "region_slugs": ["podolsk"],
    }
    assert rows["Networking project"]["start"] == "1996-03"
    assert rows["Networking project"]["end"] is None
    assert rows["Networking project"]["organizations"] == ["Memorial", "Moscow Helsinki Group"]
    assert rows["Demo exchange"]["demo"] is True
    text = export(client, "/ru/practices/export.csv?region=podolsk").decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert header == (  # the keys, as in English
        "id,slug,title,summary,start,end,organizations,activities,regions,sources,url,demo,"
        "organization_slugs,activity_slugs,region_slugs"
    )
    assert len(lines) == 2
    assert "Семинары «Правовая культура»" in lines[0]
    assert "Мемориал; Московская Хельсинкская группа" in lines[1]
    assert DRAFT_PRACTICE not in text


def test_exports_cite_public_sources_only(client, practices):
    from tests.factories import SourceFactory

    hidden = SourceFactory(title_en="HIDDENzq32", title_ru="HIDDENzq32", is_public=False)
    public = SourceFactory(title_en="Annual report", publisher_en="MHG", date="1995")
    practices["seminars"].sources.add(hidden, public)
    rows = json.loads(export(client, "/en/practices/export.json?q=seminars"))
    assert rows[0]["sources"] == ["MHG, Annual report, 1995"]


def test_unpublished_organizations_never_count_nor_show(client, practices, world):
    only_draft = PracticeFactory(title_en="Draft-made", organizations=[world.draft_org])
    html = client.get("/en/practices/?q=draft").content.decode()
    assert "1 practice found" in html
    assert "Who did it" not in html
    rows = json.loads(export(client, "/en/practices/export.json?q=draft"))
    assert rows[0]["id"] == only_draft.pk and rows[0]["organizations"] == []


def test_sub_region_of_a_new_branch_counts(practices, world):
    village = RegionFactory(name_en="Village", parent=world.city)
    PracticeFactory(title_en="Village school", regions=[village])
    assert options(f"region={world.city.slug}", "region") == {village.slug: (1, False)}
    assert titles(f"region={world.city.slug}") == [
        "Legal Culture seminars",
        "Networking project",
        "Village school",
    ]
