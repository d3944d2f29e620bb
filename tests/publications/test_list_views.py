"""The publications list: search, facets, drafts, bad input, query count."""

import pytest
from django.http import QueryDict

from publications.listings import PUBLICATIONS
from publications.models import Publication
from tests.factories import (
    ActivityTypeFactory,
    PersonFactory,
    PublicationFactory,
    SeriesFactory,
)
from tests.pages_data import DRAFT_MARKERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(world):
    """The shared world's publications (one published, one planned, one draft, all in
    Legal Culture) and three more: a 1994 one with a draft publisher, a planned one in
    English and one in another series."""
    social = ActivityTypeFactory(name_en="Social rights", name_ru="Социальные права")
    legal_culture = world.publication.series
    PublicationFactory(
        title_en="Social Problems and Human Rights",
        title_ru="Социальные проблемы и права человека",
        series=legal_culture,
        year=1994,
        publisher=world.draft_org,
        topics=[social],
    )
    PublicationFactory(
        title_en="Future Seminars",
        title_ru="Будущие семинары",
        series=legal_culture,
        year=1996,
        status=Publication.Status.PLANNED,
        language="en",
    )
    PublicationFactory(title_en="Unrelated Book", series=SeriesFactory(name_en="Other Series"))


def titles(query: str) -> list[str]:
    result = PUBLICATIONS.search(QueryDict(query), "en")
    return [p.title_en for p in result.queryset]


def test_default_order_is_by_year(books):
    assert titles("") == [
        "The Nationalities Problem and Human Rights",
        "Unrelated Book",
        "Social Problems and Human Rights",
        "Freedom of Conscience",
        "Future Seminars",
    ]


def test_facets_or_within_and_across(books):
    assert titles("year=1993&year=1996") == [
        "The Nationalities Problem and Human Rights",
        "Unrelated Book",
        "Freedom of Conscience",
        "Future Seminars",
    ]
    assert titles("series=legal-culture&year=1993") == [
        "The Nationalities Problem and Human Rights"
    ]
    assert titles("topic=social-rights&topic=legal-defense&sort=-year") == [
        "Social Problems and Human Rights",
        "The Nationalities Problem and Human Rights",
    ]
    assert titles("status=planned") == ["Freedom of Conscience", "Future Seminars"]
    assert titles("language=en") == ["Future Seminars"]


def test_disjunctive_counts_exclude_drafts(books):
    result = PUBLICATIONS.search(QueryDict("series=legal-culture&year=1993"), "en")
    years = {o.value: (o.count, o.selected) for o in result.facet("year").options}
    assert years == {"1996": (2, False), "1994": (1, False), "1993": (1, True)}
    series = {o.value: o.count for o in result.facet("series").options}
    assert series == {"legal-culture": 1, "other-series": 1}


def test_search_in_russian_with_stemming(books):
    assert titles("q=социальных") == ["Social Problems and Human Rights"]
    assert titles("q=natsionalnaya") == ["The Nationalities Problem and Human Rights"]


def test_list_page(client, books):
    html = client.get("/en/publications/?series=legal-culture").content.decode()
    assert "4 publications found" in html
    assert DRAFT_MARKERS["publication"] not in html
    assert "Unrelated Book" not in html
    assert '<span class="badge">planned</span>' in html
    assert "256 pages" in html
    assert "Lyudmila Alexeyeva" in html
    assert "Moscow Helsinki Group" in html
    assert DRAFT_MARKERS["editor"] not in html
    assert DRAFT_MARKERS["publisher"] not in html
    assert DRAFT_MARKERS["parent"] not in html
    assert 'href="?series=legal-culture&amp;year=1994#result-count"' in html
    assert '<a class="clear-all" href="/en/publications/#result-count">Clear all</a>' in html


def test_list_page_in_russian(client, books):
    html = client.get("/ru/publications/?year=1994").content.decode()
    assert "Социальные проблемы и права человека" in html
    assert "Найдено публикаций: 1" in html


@pytest.mark.parametrize(
    "query, note",
    [
        ("series=nope", "Unknown series “nope” ignored."),
        ("year=abc", "Unknown year “abc” ignored."),
        ("year=99999999999999999999", "Unknown year"),
        ("language=xx", "Unknown language of the text “xx” ignored."),
        ("topic=%00", ""),
        ("page=-1", "There is no page -1: showing page 1."),
        ("page=999", "There is no page 999: showing the last page, 1."),
        ("sort=nonsense", "Unknown sort order “nonsense” ignored."),
        ("q=" + "x" * 10_000, "was too long"),
    ],
)
def test_bad_input_gives_a_normal_page(client, books, query, note):
    response = client.get("/en/publications/?" + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "publications found" in html or "publication found" in html
    if note:
        assert note in html


@pytest.mark.parametrize("size", [5, 60])
def test_query_count_is_fixed(client, world, django_assert_num_queries, size):
    series, topic, publisher = world.publication.series, world.legal, world.org
    for n in range(size):
        PublicationFactory(
            series=series,
            year=1990 + n % 7,
            topics=[topic],
            publisher=publisher,
            editors=[PersonFactory()],
        )
    url = f"/en/publications/?series={series.slug}&topic={topic.slug}&q=publication"
    # The data version, the lookups (series, topics, years and languages), the facet
    # counts, then the page: publications, publishers, editors, topics.
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    assert f"{size} publications found" in response.content.decode()
    # Until the next write, the lookups and counts come from the cache.
    with django_assert_num_queries(5):
        response = client.get(url)
    assert f"{size} publications found" in response.content.decode()
