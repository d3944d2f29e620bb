"""The publications export as a researcher downloads it."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publications.columns import PUBLICATION_COLUMNS
from publications.listings import PUBLICATIONS
from publications.models import Publication
from tests.factories import (
    ActivityTypeFactory,
    OrganizationFactory,
    PersonFactory,
    PublicationFactory,
    SeriesFactory,
    SourceFactory,
)
from tests.lists import list_ids

pytestmark = pytest.mark.django_db

UPDATED = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)
# The keys, in both languages.
HEADERS_RU = list(PUBLICATION_COLUMNS)
CODES = {
    "slug": "the-nationalities-problem-and-human-rights",
    "status_code": "published",
    "language_code": "ru",
    "series_slug": "legal-culture",
    "publisher_slug": "moscow-helsinki-group",
    "editor_slugs": ["andrei-tsyurusin"],  # not the hidden editor
    "topic_slugs": ["legal-education", "minority-rights"],  # the same order in both languages
}


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, b"".join(response.streaming_content)


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in body.replace(b"\r\n", b"")
    return list(csv.reader(io.StringIO(body.decode("utf-8")[1:], newline="")))


@pytest.fixture
def nationalities():
    """The book "The Nationalities Problem and Human Rights" (1993, Moscow), 256 pages."""
    mhg = OrganizationFactory(
        name_ru="Московская Хельсинкская группа", name_en="Moscow Helsinki Group"
    )
    series = SeriesFactory(name_ru="Правовая культура", name_en="Legal Culture")
    rights = ActivityTypeFactory(name_ru="Права меньшинств", name_en="Minority rights")
    education = ActivityTypeFactory(name_ru="Правовое просвещение", name_en="Legal education")
    editor = PersonFactory(name_ru="Андрей Цюрупин", name_en="Andrei Tsyurusin")
    hidden_editor = PersonFactory(
        name_ru="Скрытый редактор", name_en="Hidden Editor", is_published=False
    )
    book = PublicationFactory(
        title_ru="Национальная проблема и права человека",
        title_en="The Nationalities Problem and Human Rights",
        slug="the-nationalities-problem-and-human-rights",
        series=series,
        year=1993,
        city_ru="Москва",
        city_en="Moscow",
        language="ru",
        pages=256,
        publisher=mhg,
        editors=[editor, hidden_editor],
        topics=[rights, education],
        status=Publication.Status.PUBLISHED,
    )
    Publication.objects.filter(pk=book.pk).update(updated_at=UPDATED)
    return book


def test_publication_row_in_russian(client, nationalities):
    _response, body = download(client, "/ru/publications/export.csv")

    assert csv_rows(body) == [
        HEADERS_RU,
        [
            str(nationalities.pk),
            "Национальная проблема и права человека",
            "Национальная проблема и права человека",
            "The Nationalities Problem and Human Rights",
            "Правовая культура",
            "1993",
            "Москва",
            "русский",
            "256",
            "Московская Хельсинкская группа",
            "Андрей Цюрупин",
            "Права меньшинств; Правовое просвещение",
            "опубликовано",
            "2026-11-20T12:30:00+03:00",
            "http://testserver/ru/publications/the-nationalities-problem-and-human-rights/",
            "",
            "0",
            *(value if isinstance(value, str) else "; ".join(value) for value in CODES.values()),
        ],
    ]


def test_publication_as_json_in_english(client, nationalities):
    response, body = download(client, "/en/publications/export.json")

    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="rightsnet-publications-en-{today}.json"'
    )
    assert json.loads(body) == [
        {
            "id": nationalities.pk,
            "title": "The Nationalities Problem and Human Rights",
            "title_ru": "Национальная проблема и права человека",
            "title_en": "The Nationalities Problem and Human Rights",
            "series": "Legal Culture",
            "year": 1993,
            "city": "Moscow",
            "language": "Russian",
            "pages": 256,
            "publisher": "Moscow Helsinki Group",
            "editors": ["Andrei Tsyurusin"],
            "topics": ["Legal education", "Minority rights"],
            "status": "published",
            "updated_at": "2026-11-20T12:30:00+03:00",
            "url": "http://testserver/en/publications/the-nationalities-problem-and-human-rights/",
            "sources": [],
            "demo": False,
            **CODES,
        }
    ]
    _response, body = download(client, "/en/publications/export.csv")
    assert csv_rows(body)[0] == list(PUBLICATION_COLUMNS)


def test_publications_have_their_public_sources_and_the_demo_flag(client, nationalities):
    nationalities.sources.set(
        [
            SourceFactory(
                publisher_en="Example Press", title_en="A catalogue of books",
                title_ru="", date=datetime.date(1999, 1, 1), date_precision="year",
            ),
            SourceFactory(title_en="INTERNALSOURCEzq", title_ru="", is_public=False),
        ]
    )  # fmt: skip
    demo = PublicationFactory(title_en="Demo Publication 2", is_demo=True)
    citation = "Example Press, A catalogue of books, 1999"

    for lang in ("ru", "en"):
        _response, body = download(client, f"/{lang}/publications/export.csv")
        header, *rows = csv_rows(body)
        sources = header.index("sources")
        assert header[sources : sources + 2] == ["sources", "demo"]
        by_id = {row[0]: row for row in rows}
        assert by_id[str(nationalities.pk)][sources : sources + 2] == [citation, "0"]
        assert by_id[str(demo.pk)][sources : sources + 2] == ["", "1"]
        assert "INTERNALSOURCEzq" not in body.decode("utf-8")
        _response, body = download(client, f"/{lang}/publications/export.json")
        items = {item["id"]: item for item in json.loads(body)}
        assert items[nationalities.pk]["sources"] == [citation]
        assert (items[nationalities.pk]["demo"], items[demo.pk]["demo"]) == (False, True)
        assert "INTERNALSOURCEzq" not in body.decode("utf-8")


def test_drafts_and_draft_relations_are_not_exported(client, nationalities):
    PublicationFactory(title_en="Secret Book", title_ru="Тайная книга", is_published=False)
    draft_publisher = OrganizationFactory(
        name_en="Draft Press", name_ru="Черновое издательство", is_published=False
    )
    PublicationFactory(title_en="Visible Book", publisher=draft_publisher)

    for lang in ("ru", "en"):
        for fmt in ("csv", "json"):
            response, body = download(client, f"/{lang}/publications/export.{fmt}")
            text = body.decode("utf-8")
            for secret in (
                "Secret Book",
                "Тайная книга",
                "Draft Press",
                "Черновое",
                "Hidden Editor",
                "Скрытый",
            ):
                assert secret not in text
            assert response["X-Total-Count"] == "2"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?sort=-year",
        "?sort=title",
        "?q=publication",
        "?series={series}",
        "?topic={topic_a}&topic={topic_b}",
        "?year=1993&year=1995&language=en",
        "?status=planned&sort=-year",
        "?q=publication&series={series}&topic={topic_a}&status=published",
        "?series=nope&year=abc&sort=sideways&page=-3",
    ],
)
def test_export_has_exactly_the_rows_of_the_list(client, query):
    series = [SeriesFactory(), SeriesFactory()]
    topics = [ActivityTypeFactory(), ActivityTypeFactory(), ActivityTypeFactory()]
    for n in range(70):
        PublicationFactory(
            series=series[n % 2],
            year=1990 + n % 7,
            language="en" if n % 4 == 0 else "ru",
            status=Publication.Status.PLANNED if n % 5 == 0 else Publication.Status.PUBLISHED,
            topics=[topics[n % 3]],
            is_published=n % 9 != 0,
        )
    query = query.format(series=series[0].slug, topic_a=topics[0].slug, topic_b=topics[1].slug)
    for lang in ("ru", "en"):
        expected = list_ids(client, f"/{lang}/publications/{query}")
        assert expected
        _response, body = download(client, f"/{lang}/publications/export.csv{query}")
        assert [int(row[0]) for row in csv_rows(body)[1:]] == expected
        _response, body = download(client, f"/{lang}/publications/export.json{query}")
        assert [item["id"] for item in json.loads(body)] == expected


@pytest.mark.parametrize("size", [2, 30])
def test_query_count_is_fixed(client, django_assert_num_queries, size):
    series = SeriesFactory()
    topic = ActivityTypeFactory()
    publisher = OrganizationFactory()
    sources = [SourceFactory(), SourceFactory(is_public=False)]
    for n in range(size):
        publication = PublicationFactory(
            series=series, topics=[topic], publisher=publisher, editors=[PersonFactory()]
        )
        publication.sources.set(sources[: 1 + n % 2])

    url, query = "/ru/publications/export.csv", f"?series={series.slug}"
    b"".join(client.get(url + query).streaming_content)  # warm any per-process cache
    with CaptureQueriesContext(connection) as queries:
        PUBLICATIONS.search(QueryDict(query[1:]), "ru").total  # noqa: B018

    # The list's search (filters, COUNT), then: the publications with their series,
    # and their publishers, editors, topics and public sources; every public source's
    # citation.
    with django_assert_num_queries(len(queries) + 6):
        body = b"".join(client.get(url + query).streaming_content)

    assert len(csv_rows(body)) == size + 1


def test_unknown_format_and_bad_input(client, nationalities):
    assert client.get("/ru/publications/export.pdf").status_code == 404
    response, body = download(client, "/ru/publications/export.csv?year=%00&q=" + "я" * 5000)
    assert csv_rows(body)[0] == HEADERS_RU
