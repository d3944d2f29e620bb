"""The data page (/{lang}/data/): every export's columns, the vocabularies in both
languages, the licence from the settings, a dated citation, the downloads, the CSV
rule; and the vocabulary files. What a visitor sees, in both languages."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from directory.models import Organization
from opendata.lists import DATA_LISTS
from tests.html import page

pytestmark = pytest.mark.django_db

LANGUAGES = ("ru", "en")


@pytest.fixture(autouse=True)
def _no_snapshot(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"


def data_page(client, lang):
    with translation.override(lang):
        url = reverse("opendata:data")
    response = client.get(url)
    assert response.status_code == 200
    return response, page(response)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_column_of_every_list_is_in_the_codebook(client, world, lang):
    _response, html = data_page(client, lang)
    for data_list in DATA_LISTS:
        section = html.find("section", id=None, aria_labelledby=f"codebook-{data_list.name}")
        keys = [
            item.find("code").text for item in section.find_all("div", class_="codebook-column")
        ]
        assert keys == [column.key for column in data_list.columns], data_list.name
        with translation.override(lang):
            for column in data_list.columns:
                item = section.find("div", id=f"{data_list.name}-{column.key}")
                assert str(column.meaning) in item.text, (data_list.name, column.key)
                assert str(column.label) in item.text
                if column.example:
                    assert column.example in item.text


def test_the_codebook_says_types_and_codes_in_the_page_language(client, world):
    _response, ru = data_page(client, "ru")
    founded = ru.find("div", id="organizations-founded").text
    assert "Год основания организации." in founded and "Тип: год" in founded
    kinds = ru.find("div", id="organizations-kind_code")
    assert "Коды:" in kinds.text
    assert [code.text for code in kinds.find_all("code")] == [
        "kind_code", "group", "group", "ngo", "commission", "international", "network"
    ]  # fmt: skip
    phones = ru.find("div", id="organizations-phones").text
    assert "несколько значений через «; »" in phones
    _response, en = data_page(client, "en")
    assert "Type: year, month or day" in en.find("div", id="organizations-status_since").text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_vocabularies_show_codes_with_both_languages(client, world, lang):
    _response, html = data_page(client, lang)
    tables = [
        [[cell.text for cell in row.elements()] for row in table.find("tbody").find_all("tr")]
        for table in html.find_all("table", class_="vocabulary")
    ]
    captions = [table.find("caption").text for table in html.find_all("table", class_="vocabulary")]
    assert captions == (
        [
            "Типы организаций ( kind_code )",
            "Статусы организаций ( status_code )",
            "Решения властей ( designation_codes )",
            "Статусы публикаций ( status_code )",
            "Типы регионов ( kind )",
            "Направления работы ( activity_slugs , topic_slugs )",
        ]
        if lang == "ru"
        else [
            "Kinds of organization ( kind_code )",
            "Statuses of organizations ( status_code )",
            "Designations ( designation_codes )",
            "Statuses of publications ( status_code )",
            "Kinds of region ( kind )",
            "Types of work ( activity_slugs , topic_slugs )",
        ]
    )
    kinds, statuses, designations, publication_statuses, region_kinds, activities = tables
    assert kinds[0] == ["group", "правозащитная группа", "human rights group"]
    assert [row[0] for row in statuses] == ["active", "inactive", "closed", "unknown"]
    assert statuses[0] == ["active", "действует", "active"]
    assert designations == [
        [
            "foreign_agent",
            "внесена в реестр «иностранных агентов»",
            "entered in the register of “foreign agents”",
        ],
        [
            "undesirable",
            "признана «нежелательной организацией»",
            "declared an “undesirable organization”",
        ],
    ]
    assert publication_statuses == [
        ["published", "опубликовано", "published"],
        ["planned", "планируется", "planned"],
    ]
    assert [row[0] for row in region_kinds] == ["country", "macro-region", "subject", "city"]
    slugs = {row[0]: row[1:] for row in activities}
    assert slugs[world.legal.slug] == ["Правовая защита", "Legal defense"]


def test_the_region_tree_is_nested_with_both_names(client, world):
    for lang in LANGUAGES:
        _response, html = data_page(client, lang)
        tree = html.find("ul", class_="region-tree")
        russia = next(li for li in tree.elements() if world.russia.slug in li.text)
        assert "Россия" in russia.text and "Russia" in russia.text
        oblast = russia.child("ul").elements()[0]
        assert "Московская область" in oblast.text and "Moscow Oblast" in oblast.text
        city = oblast.child("ul").elements()[0]
        assert city.find("code").text == world.city.slug
        assert ("город" if lang == "ru" else "city") in city.text


def test_the_licence_comes_from_the_settings(client, world, settings):
    settings.DATA_LICENCE_NAME = "ODbL 1.0"
    settings.DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
    for lang in LANGUAGES:
        _response, html = data_page(client, lang)
        link = html.find("a", rel="license")
        assert (link.text, link["href"]) == ("ODbL 1.0", settings.DATA_LICENCE_URL)
    assert "CC BY" not in data_page(client, "en")[0].content.decode()


def test_the_citation_is_dated_today(client, world):
    today = timezone.localdate()
    _response, ru = data_page(client, "ru")
    assert ru.find("blockquote", class_="citation").text.strip() == (
        "rightsnet: справочник правозащитных организаций. http://testserver/ru/data/"
        f" (дата обращения: {today:%d.%m.%Y})."
    )
    _response, en = data_page(client, "en")
    assert en.find("blockquote", class_="citation").text.strip() == (
        "rightsnet, directory of human rights organizations, http://testserver/en/data/,"
        f" accessed {today.isoformat()}."
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_downloads_link_every_export_the_vocabularies_and_the_package(client, world, lang):
    _response, html = data_page(client, lang)
    links = {a["href"] for a in html.find("ul", class_="data-downloads").find_all("a")}
    with translation.override(lang):
        for data_list in DATA_LISTS:
            for fmt in ("csv", "json"):
                assert reverse(data_list.export_url_name, kwargs={"format": fmt}) in links
        for name in ("regions_csv", "activities_csv", "datapackage"):
            assert reverse(f"opendata:{name}") in links
        # No snapshot yet: said, not linked.
        assert reverse("opendata:latest_snapshot") not in links
    assert ("пока не создан" if lang == "ru" else "not made yet") in html.find(
        "ul", class_="data-downloads"
    ).text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_is_linked_from_every_page(client, world, lang):
    with translation.override(lang):
        home = page(client.get(reverse("directory:home")))
        url = reverse("opendata:data")
    nav = home.find("nav", class_="site-nav")
    assert url in [a["href"] for a in nav.find_all("a")]
    assert url in [a["href"] for a in home.find("footer").find_all("a")]


def test_bad_input_never_gives_a_server_error(client, world):
    for path in ("/ru/data/", "/en/data/", "/ru/data/datapackage.json", "/en/data/regions.csv"):
        for query in ("x=%00", "x=%ff%fe", "x=" + "y" * 5000, "%00=%00"):
            response = client.get(path, QUERY_STRING=query)
            assert response.status_code == 200, (path, query)
    assert client.post("/ru/data/").status_code == 405


def read_csv(response) -> list[dict]:
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_the_vocabulary_files(client, world):
    regions = read_csv(client.get("/en/data/regions.csv"))
    by_slug = {row["slug"]: row for row in regions}
    city = by_slug[world.city.slug]
    assert city == {
        "slug": world.city.slug,
        "name_ru": "Подольск",
        "name_en": "Podolsk",
        "parent_slug": world.moscow_oblast.slug,
        "kind": "city",
        "path": f"{world.russia.slug}/{world.moscow_oblast.slug}/{world.city.slug}",
    }
    # Each region comes after its parent.
    order = [row["slug"] for row in regions]
    for row in regions:
        if row["parent_slug"]:
            assert order.index(row["parent_slug"]) < order.index(row["slug"])
    activities = read_csv(client.get("/ru/data/activities.csv"))
    assert {"slug": world.legal.slug, "name_ru": "Правовая защита", "name_en": "Legal defense"} in (
        activities
    )
    # The same file in both languages: the vocabularies carry both.
    assert client.get("/ru/data/regions.csv").content == client.get("/en/data/regions.csv").content


def test_the_files_join_on_the_codes(client, world):
    """Every code in the organizations export is in a vocabulary file."""
    response = client.get(reverse("directory:organization_export", kwargs={"format": "csv"}))
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"), newline="")
        )
    )
    regions = {row["slug"] for row in read_csv(client.get("/ru/data/regions.csv"))}
    activities = {row["slug"] for row in read_csv(client.get("/ru/data/activities.csv"))}
    assert rows
    for row in rows:
        assert row["region_slug"] in regions
        assert row["kind_code"] in Organization.Kind.values
        assert set(filter(None, row["activity_slugs"].split("; "))) <= activities
