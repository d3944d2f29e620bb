"""The spreadsheet download (export.xlsx) of every list, opened as a spreadsheet reads it.

openpyxl reads the file the way Excel or Calc would: cell types, the frozen header,
the autofilter, column widths and the About sheet. (LibreOffice itself converts the
file in tests/test_libreoffice.py.)
"""

import datetime
import io
import json
import logging
import os
import re
import tempfile
import zipfile

import openpyxl
import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl.utils import get_column_letter

from directory import columns as org_columns
from directory import freshness
from directory.models import Organization
from directory.person_columns import PERSON_COLUMN_SPECS
from directory.practice_columns import PRACTICE_COLUMN_SPECS
from listing import about, spreadsheet
from listing import columns as listing_columns
from publications.columns import PUBLICATION_COLUMN_SPECS
from tests.directory import test_export as organization_exports
from tests.directory.test_export import assert_connection_free, broken_after, make_organizations
from tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
    PracticeFactory,
    PublicationFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db

# The organizations export's own regions and types of work (fixtures).
places, works = organization_exports.places, organization_exports.works

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPDATED = datetime.datetime(2026, 11, 20, 9, 30, 15, tzinfo=datetime.UTC)
FORMULA_NAME = '=HYPERLINK("http://example.org/x","click")'
ADDRESS = "ул. Крещатик, 1\nкв. 5"
LISTS = {
    "organizations": ("/{lang}/organizations/", org_columns.COLUMN_SPECS),
    "people": ("/{lang}/people/", PERSON_COLUMN_SPECS),
    "practices": ("/{lang}/practices/", PRACTICE_COLUMN_SPECS),
    "publications": ("/{lang}/publications/", PUBLICATION_COLUMN_SPECS),
}
BAD_QUERIES = [
    "?q=" + "x" * 10_000,
    "?q=%00%00Helsinki",
    "?q=Helsinki&q=Moscow",
    "?region=%00&region=moscow&activity=&activity=%FF",
    "?kind=group&kind=group&kind=" + "k" * 500,
    "?sort=relevance",
    "?founded=abc&page=abc&status[]=x",
]


@pytest.fixture
def awkward(places, works):
    """A Kyiv group whose cells a spreadsheet likes to spoil, and a plain one."""
    kyiv = OrganizationFactory(
        name_ru="Киевская правозащитная группа",
        name_en=FORMULA_NAME,
        slug="kyiv-group",
        region=places["moscow"],
        address_ru=ADDRESS,
        postal_code="01001",
        founded=1989,
        last_verified=datetime.date(2023, 1, 25),
        activities=[works["monitoring"], works["prisons"]],
    )
    PhoneFactory(organization=kyiv, number="+7 095 206-81-71")
    PhoneFactory(organization=kyiv, number="-1+2")
    Organization.objects.filter(pk=kyiv.pk).update(updated_at=UPDATED)
    plain = OrganizationFactory(
        name_ru="Группа", name_en="Group", slug="group", region=places["chechnya"]
    )
    person = PersonFactory(name_ru="Людмила Алексеева", name_en="@Lyudmila Alexeyeva")
    AffiliationFactory(person=person, organization=kyiv)
    PracticeFactory(
        title_ru="Мониторинг тюрем",
        title_en="+Prison monitoring",
        start="1997-01",
        organizations=[kyiv, plain],
        activities=[works["prisons"]],
        regions=[places["moscow"]],
    )
    PublicationFactory(
        title_ru="Права человека",
        title_en="=1+1",
        series=SeriesFactory(name_ru="Серия", name_en="Series"),
        year=1993,
        pages=256,
        publisher=kyiv,
        editors=[person],
    )
    return kyiv


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == XLSX
    # Read to the end, the test client closes the response (and its file).
    return response, b"".join(response.streaming_content)


def workbook(body: bytes):
    return openpyxl.load_workbook(io.BytesIO(body))


def data_rows(book) -> tuple[list[str], list[list]]:
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    return rows[0], rows[1:]


def about_rows(book) -> dict[str, object]:
    """The About sheet's top part: label -> value (till the blank line)."""
    found = {}
    for label, value, *_rest in book.worksheets[1].iter_rows(values_only=True):
        if label is None:
            return found
        found[label] = value
    return found


def codebook_rows(book) -> list[tuple]:
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    blank = next(n for n, row in enumerate(rows) if row[0] is None)
    return rows[blank + 1 :]


def expected_cell(spec: listing_columns.Column, value):
    """What the spreadsheet's cell holds for a JSON value of the column ``spec``."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if spec.type == listing_columns.BOOLEAN:
        return int(value)
    if spec.type == listing_columns.DATE:
        return datetime.datetime.fromisoformat(value)
    if spec.type == listing_columns.DATETIME:
        # The JSON's time is the site's local time with its offset; the cell has it plain.
        return datetime.datetime.fromisoformat(value).replace(tzinfo=None)
    return value


def column_widths(sheet) -> dict[str, float]:
    """Column letter -> width, with openpyxl's ranges of equal columns spread out."""
    widths = {}
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            widths[get_column_letter(index)] = dimension.width
    return widths


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_cells_are_typed_and_texts_stay_texts(client, awkward, lang):
    _response, body = download(client, f"/{lang}/organizations/export.xlsx?region=moscow")
    book = workbook(body)
    header, rows = data_rows(book)
    assert header == list(org_columns.COLUMNS)
    assert len(rows) == 1
    cells = dict(zip(header, book.worksheets[0][2], strict=True))
    values = {key: cell.value for key, cell in cells.items()}

    assert (values["id"], values["founded"]) == (awkward.pk, 1989)
    assert cells["id"].data_type == cells["founded"].data_type == "n"
    assert values["demo"] == 0 and cells["demo"].data_type == "n"
    assert values["last_verified"] == datetime.datetime(2023, 1, 25)
    assert cells["last_verified"].is_date
    assert cells["last_verified"].number_format == "yyyy-mm-dd"
    # 09:30:15 UTC is 12:30:15 in Moscow, the site's time zone.
    assert values["updated_at"] == datetime.datetime(2026, 11, 20, 12, 30, 15)
    assert cells["updated_at"].number_format == "yyyy-mm-dd hh:mm:ss"

    assert values["postal_code"] == "01001" and cells["postal_code"].data_type == "s"
    assert values["phones"] == "+7 095 206-81-71; -1+2"
    assert values["name_en"] == FORMULA_NAME and cells["name_en"].data_type == "s"
    assert values["name_ru"] == "Киевская правозащитная группа"
    assert values["address"] == (ADDRESS if lang == "ru" else ADDRESS)  # the only address
    for cell in cells.values():
        assert not cell.quotePrefix  # no apostrophe shown or stored
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere
    assert "'+7" not in sheet and "'=" not in sheet


def test_header_is_frozen_filtered_bold_and_columns_readable(client, awkward):
    _response, body = download(client, "/ru/organizations/export.xlsx")
    sheet = workbook(body).worksheets[0]
    count = len(org_columns.COLUMNS)
    assert sheet.title == "Организации"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(count)}3"
    assert all(cell.font.b for cell in sheet[1])
    widths = column_widths(sheet)
    assert len(widths) == count
    assert all(
        spreadsheet.MIN_WIDTH <= width <= spreadsheet.MAX_WIDTH + 1 for width in widths.values()
    )
    assert widths["A"] < widths["T"]  # an id is narrower than a page address


def test_an_empty_list_is_a_header_and_an_about_sheet(client, awkward):
    _response, body = download(client, "/en/organizations/export.xlsx?q=nothing-matches-this")
    book = workbook(body)
    header, rows = data_rows(book)
    assert header == list(org_columns.COLUMNS) and rows == []
    assert book.worksheets[0].auto_filter.ref == f"A1:{get_column_letter(len(header))}1"
    assert about_rows(book)["Rows"] == 0


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_about_sheet_says_what_the_file_is(client, awkward, lang):
    query = "?region=moscow&activity=monitoring"
    response, body = download(client, f"/{lang}/organizations/export.xlsx{query}")
    book = workbook(body)
    _header, rows = data_rows(book)
    found = about_rows(book)
    list_url = f"http://testserver/{lang}/organizations/{query}"
    today = timezone.localdate().isoformat()
    list_page = client.get(f"/{lang}/organizations/{query}")
    chips = list_page.context["result"].active_filters
    assert [row[0] for row in rows] == [awkward.pk]
    if lang == "ru":
        assert book.sheetnames == ["Организации", "О файле"]
        assert found["Файл"] == "rightsnet: Организации"
        assert found["Адрес списка"] == list_url
        assert found["Число строк"] == len(rows) == int(response["X-Total-Count"])
        assert found["Лицензия"] == "CC BY 4.0, https://creativecommons.org/licenses/by/4.0/"
        assert found["Как ссылаться"] == (
            f"rightsnet. Организации [Электронный ресурс]. URL: {list_url} "
            f"(дата обращения: {today})."
        )
        # The data version's time: the last write (this test's own fixtures).
        last = freshness.last_change()
        assert last is not None
        assert found["Последнее изменение данных"] == about.local_text(last)
        assert found["Файл создан"].startswith(today)
        assert "ведущие нули" in found["Ячейки"]
        filters = {label.removeprefix("Фильтр: "): value for label, value in found.items()}
    else:
        assert book.sheetnames == ["Organizations", "About this file"]
        assert found["File"] == "rightsnet: Organizations"
        assert found["List address"] == list_url
        assert found["Rows"] == len(rows) == list_page.context["result"].total
        assert found["Licence"] == "CC BY 4.0, https://creativecommons.org/licenses/by/4.0/"
        assert found["How to cite"] == (f"rightsnet. Organizations. {list_url} (accessed {today}).")
        assert "Europe/Moscow" in found["Dates and times"]
        assert "32 767" in found["Long texts"].replace("\u00a0", " ")
        filters = {label.removeprefix("Filter: "): value for label, value in found.items()}
    assert len(chips) == 2
    for chip in chips:  # the list page's chips, in words
        assert filters[chip.label] == chip.value


def test_about_sheet_of_an_unfiltered_list_says_so(client, awkward):
    found = about_rows(workbook(download(client, "/ru/organizations/export.xlsx")[1]))
    assert found["Фильтры"] == "нет, весь список"
    assert found["Число строк"] == 2


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("name", LISTS)
def test_codebook_has_every_column(client, awkward, name, lang):
    path, specs = LISTS[name]
    _response, body = download(client, path.format(lang=lang) + "export.xlsx")
    book = workbook(body)
    header, *entries = codebook_rows(book)
    assert len(header) == 6
    assert [entry[0] for entry in entries] == [spec.key for spec in specs]
    assert [entry[2] for entry in entries] == [spec.type for spec in specs]
    for entry, spec in zip(entries, specs, strict=True):
        assert entry[1] == listing_columns.column_labels((spec,), lang)[0]
        assert entry[3] and entry[4]  # how it is written, and what it means
        assert entry[5] == (spec.example or None)
    if lang == "ru":
        assert header[0] == "Столбец"


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("query", ["", "?q=kyiv", "?region=moscow", "?sort=-updated"])
def test_the_rows_are_the_json_exports(client, awkward, name, lang, query):
    path, specs = LISTS[name]
    path = path.format(lang=lang)
    json_rows = json.loads(b"".join(client.get(f"{path}export.json{query}").streaming_content))
    response, body = download(client, f"{path}export.xlsx{query}")
    header, rows = data_rows(workbook(body))
    assert header == [spec.key for spec in specs]
    assert rows == [[expected_cell(spec, item[spec.key]) for spec in specs] for item in json_rows]
    assert int(response["X-Total-Count"]) == len(rows)


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_input_gives_a_valid_file(client, awkward, query):
    for name, (path, specs) in LISTS.items():
        response, body = download(client, path.format(lang="ru") + "export.xlsx" + query)
        book = workbook(body)
        header, rows = data_rows(book)
        assert header == [spec.key for spec in specs], name
        assert len(rows) == int(response["X-Total-Count"]) == about_rows(book)["Число строк"]


def test_headers_name_and_nosniff_and_no_gzip(client, awkward):
    response = client.get(
        "/en/people/export.xlsx?q=alexeyeva", HTTP_ACCEPT_ENCODING="gzip, deflate"
    )
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    # Named by its search (and so with a hash, a transliteration being lossy).
    assert re.fullmatch(
        rf'attachment; filename="rightsnet-people-en-search-alexeyeva-{today}-[0-9a-f]{{8}}\.xlsx"',
        response["Content-Disposition"],
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-cache"  # revalidated: listing.exports
    assert not response.has_header("Content-Encoding")  # an xlsx is a zip already
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    assert body.startswith(b"PK")


def test_head_makes_no_file(client, awkward, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the file was made for HEAD")

    monkeypatch.setattr(spreadsheet, "make_file", never)
    response = client.head("/ru/organizations/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["X-Total-Count"] == "2"
    assert b"".join(response.streaming_content) == b""
    assert client.post("/ru/organizations/export.xlsx").status_code == 405


def rightsnet_temp_folders() -> set[str]:
    return {
        name for name in os.listdir(tempfile.gettempdir()) if name.startswith("rightsnet-xlsx-")
    }


@pytest.mark.django_db(transaction=True)  # autocommit, as a server runs
def test_a_database_error_while_reading_is_an_error_page_not_a_file(
    client, places, works, monkeypatch, caplog
):
    make_organizations(places, works, 5)
    before = rightsnet_temp_folders()
    error = OperationalError("database went away")
    monkeypatch.setattr(org_columns, "organization_row", broken_after(3, error))
    with caplog.at_level(logging.ERROR, logger="listing.exports"):
        response = client.get("/en/organizations/export.xlsx")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"]
    assert "Content-Disposition" not in response
    assert "could not start" in caplog.text
    assert rightsnet_temp_folders() == before  # XlsxWriter's row files are gone
    assert_connection_free()


def export_queries(client, url) -> int:
    """The queries of one download of ``url``, after a warming one (per-process caches)."""
    b"".join(client.get(url).streaming_content)
    with CaptureQueriesContext(connection) as queries:
        b"".join(client.get(url).streaming_content)
    return len(queries)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_query_count_is_the_csvs_whatever_the_rows(client, places, works, lang):
    query = "?q=organization&region=russia&sort=founded"
    counts = []
    for size in (3, 40):
        make_organizations(places, works, size - Organization.objects.count())
        url = f"/{lang}/organizations/export.xlsx{query}"
        assert len(data_rows(workbook(download(client, url)[1]))[1]) == size
        counts.append(export_queries(client, url))
        # The list's search, then regions, types of work, public sources and the rows
        # with their related rows (PostgreSQL: one COPY): the CSV's very queries.
        assert counts[-1] == export_queries(client, url.replace(".xlsx", ".csv"))
    assert counts[0] == counts[1]


def test_a_text_longer_than_a_cell_is_cut_with_a_marker(client, awkward):
    long = "Описание. " * 4000  # 40,000 characters
    Organization.objects.filter(pk=awkward.pk).update(description_ru=long)
    _response, body = download(client, "/ru/organizations/export.xlsx?region=moscow")
    header, rows = data_rows(workbook(body))
    cell = rows[0][header.index("description")]
    assert len(cell) == about.CELL_LIMIT
    assert cell == long[: about.CELL_LIMIT - len(about.CUT_MARKER)] + about.CUT_MARKER


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("a" * about.CELL_LIMIT, False),
        ("я" * about.CELL_LIMIT, False),
        ("a" * (about.CELL_LIMIT + 1), True),
        ("😀" * 20_000, True),  # two UTF-16 units each: 40,000 units
        ("😀" * 16_383, False),
    ],
)
def test_fit_counts_what_a_cell_counts(text, cut):
    fitted = spreadsheet.fit(text)
    assert len(fitted.encode("utf-16-le")) // 2 <= about.CELL_LIMIT
    assert (fitted != text) == cut
    if cut:
        assert fitted.endswith(about.CUT_MARKER)
        assert text.startswith(fitted.removesuffix(about.CUT_MARKER))


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("name", LISTS)
def test_list_pages_link_the_spreadsheet_with_their_filters(client, awkward, name, lang):
    path = LISTS[name][0].format(lang=lang)
    html = client.get(path + "?q=kyiv").content.decode()
    assert f'href="{path}export.xlsx?q=kyiv"' in html
    assert ("Таблица (XLSX)" if lang == "ru" else "Spreadsheet (XLSX)") in html
