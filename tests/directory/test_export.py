"""The organization and people exports as a researcher downloads them."""

import csv
import datetime
import io
import json
import logging
import threading

import pytest
from django.db import OperationalError, connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from psycopg.pq import TransactionStatus

from directory import columns, exports, freshness
from directory.listings import ORGANIZATIONS, PEOPLE
from directory.models import Organization, OrganizationEvent, Phone, Region
from listing import exports as listing_exports
from tests import staff
from tests.factories import (
    ActivityTypeFactory,
    AffiliationFactory,
    OrganizationEventFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
    RegionFactory,
    SourceFactory,
)
from tests.listing.test_exports import stdlib_json_array
from tests.lists import list_ids

pytestmark = pytest.mark.django_db

UPDATED = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)

# One header rule for both languages: the column keys (the labels are in the codebook).
HEADERS = {"ru": list(columns.COLUMNS), "en": list(columns.COLUMNS)}
# The columns appended by issue 15, after demo, in this order.
CODE_COLUMNS = [
    "slug", "kind_code", "status_code", "region_slug", "activity_slugs", "designation_codes",
    "parent_slug", "partner_slugs", "short_name", "description",
]  # fmt: skip


@pytest.fixture
def places():
    russia = RegionFactory(
        name_ru="Россия", name_en="Russia", slug="russia", kind=Region.Kind.COUNTRY
    )
    central = RegionFactory(
        name_ru="Центральная Россия",
        name_en="Central Russia",
        slug="central-russia",
        parent=russia,
        kind=Region.Kind.MACRO_REGION,
    )
    moscow = RegionFactory(
        name_ru="Москва", name_en="Moscow", slug="moscow", parent=central, kind=Region.Kind.CITY
    )
    caucasus = RegionFactory(
        name_ru="Северный Кавказ", name_en="North Caucasus", slug="north-caucasus", parent=russia
    )
    chechnya = RegionFactory(name_ru="Чечня", name_en="Chechnya", slug="chechnya", parent=caucasus)
    return {"russia": russia, "moscow": moscow, "caucasus": caucasus, "chechnya": chechnya}


@pytest.fixture
def works():
    return {
        slug: ActivityTypeFactory(name_ru=ru, name_en=en, slug=slug)
        for slug, ru, en in [
            ("legal-education", "Правовое просвещение", "Legal education"),
            ("monitoring", "Мониторинг", "Monitoring"),
            ("networking", "Связь между группами", "Networking among groups"),
            ("prisons", "Права заключённых", "Prisoners' rights"),
        ]
    }


@pytest.fixture
def mhg(places, works):
    """The Moscow Helsinki Group as the seed describes it."""
    org = OrganizationFactory(
        name_ru="Московская Хельсинкская группа",
        name_en="Moscow Helsinki Group",
        short_name_ru="МХГ",
        short_name_en="MHG",
        slug="moscow-helsinki-group",
        kind=Organization.Kind.GROUP,
        region=places["moscow"],
        city_ru="Москва",
        city_en="Moscow",
        address_ru="Б. Златоустинский пер., 8/7, ком. 93",
        address_en="B. Zlatoustinskii per. 8/7, kom. 93",
        postal_code="101000",
        founded=1976,
        status=Organization.Status.ACTIVE,
        last_verified=datetime.date(1997, 1, 1),
        activities=[works["legal-education"], works["networking"], works["monitoring"]],
    )
    PhoneFactory(organization=org, number="095-206-81-71", kind=Phone.Kind.TEL)
    PhoneFactory(organization=org, number="095-206-85-07", kind=Phone.Kind.TEL)
    PhoneFactory(organization=org, number="095-921-12-09", kind=Phone.Kind.FAX)
    Organization.objects.filter(pk=org.pk).update(updated_at=UPDATED)
    return org


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.streaming
    return response, b"".join(response.streaming_content)


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8")[1:], newline="")))


def export_csv(client, lang="ru", query="", list_name="organizations"):
    _response, body = download(client, f"/{lang}/{list_name}/export.csv{query}")
    return csv_rows(body)


def export_json(client, lang="ru", query="", list_name="organizations"):
    _response, body = download(client, f"/{lang}/{list_name}/export.json{query}")
    return json.loads(body.decode("utf-8"))


def test_mhg_row_in_russian(client, mhg):
    rows = export_csv(client, "ru")

    assert rows == [
        HEADERS["ru"],
        [
            str(mhg.pk),
            "Московская Хельсинкская группа",
            "Московская Хельсинкская группа",
            "Moscow Helsinki Group",
            "правозащитная группа",
            "Москва",
            "Россия / Центральная Россия / Москва",
            "Москва",
            "Б. Златоустинский пер., 8/7, ком. 93",
            "101000",
            "095-206-81-71; 095-206-85-07",
            "095-921-12-09",
            "",
            "",
            "Мониторинг; Правовое просвещение; Связь между группами",
            "1976",
            "действует",
            "1997-01-01",
            "2026-11-20T12:30:00+03:00",
            "http://testserver/ru/organizations/moscow-helsinki-group/",
            "1976",  # active since its founding (the founded event)
            "",
            "",
            "",
            "0",
            # The codes are the same in both languages.
            "moscow-helsinki-group",
            "group",
            "active",
            "moscow",
            "legal-education; monitoring; networking",
            "",
            "",
            "",
            "МХГ",
            "",
        ],
    ]


def test_mhg_row_in_english(client, mhg):
    rows = export_csv(client, "en")

    assert rows == [
        HEADERS["en"],
        [
            str(mhg.pk),
            "Moscow Helsinki Group",
            "Московская Хельсинкская группа",
            "Moscow Helsinki Group",
            "human rights group",
            "Moscow",
            "Russia / Central Russia / Moscow",
            "Moscow",
            "B. Zlatoustinskii per. 8/7, kom. 93",
            "101000",
            "095-206-81-71; 095-206-85-07",
            "095-921-12-09",
            "",
            "",
            "Legal education; Monitoring; Networking among groups",
            "1976",
            "active",
            "1997-01-01",
            "2026-11-20T12:30:00+03:00",
            "http://testserver/en/organizations/moscow-helsinki-group/",
            "1976",
            "",
            "",
            "",
            "0",
            "moscow-helsinki-group",
            "group",
            "active",
            "moscow",
            "legal-education; monitoring; networking",
            "",
            "",
            "",
            "MHG",
            "",
        ],
    ]


def test_mhg_as_json_keeps_types_and_english_keys(client, mhg):
    for lang in ("ru", "en"):
        data = export_json(client, lang)
        assert [list(item) for item in data] == [list(columns.COLUMNS)]
    (item,) = export_json(client, "ru")
    assert item == {
        "id": mhg.pk,
        "name": "Московская Хельсинкская группа",
        "name_ru": "Московская Хельсинкская группа",
        "name_en": "Moscow Helsinki Group",
        "kind": "правозащитная группа",
        "region": "Москва",
        "region_path": "Россия / Центральная Россия / Москва",
        "city": "Москва",
        "address": "Б. Златоустинский пер., 8/7, ком. 93",
        "postal_code": "101000",
        "phones": ["095-206-81-71", "095-206-85-07"],
        "fax": ["095-921-12-09"],
        "email": "",
        "website": "",
        "activities": ["Мониторинг", "Правовое просвещение", "Связь между группами"],
        "founded": 1976,
        "status": "действует",
        "last_verified": "1997-01-01",
        "updated_at": "2026-11-20T12:30:00+03:00",
        "url": "http://testserver/ru/organizations/moscow-helsinki-group/",
        "status_since": "1976",
        "designations": [],
        "contacts_as_of": None,
        "sources": [],
        "demo": False,
        "slug": "moscow-helsinki-group",
        "kind_code": "group",
        "status_code": "active",
        "region_slug": "moscow",
        "activity_slugs": ["legal-education", "monitoring", "networking"],
        "designation_codes": [],
        "parent_slug": "",
        "partner_slugs": [],
        "short_name": "МХГ",
        "description": "",
    }


# The columns of trustworthy records: after url, in this order.

NEW_COLUMNS = ["status_since", "designations", "contacts_as_of", "sources", "demo"]
INTERNAL = "INTERNALSOURCEzq"  # a staff-only source's marker


@pytest.fixture
def records(mhg, places):
    """Dated, sourced records: the MHG as the seed and the issue cite it, a fictional
    designated centre, a demo entry and a group whose contacts are restricted."""
    Organization.objects.filter(pk=mhg.pk).update(
        contacts_as_of=datetime.date(1997, 1, 1), contacts_as_of_precision="month"
    )
    OrganizationEventFactory(
        organization=mhg,
        kind=OrganizationEvent.Kind.LIQUIDATED,
        date=datetime.date(2023, 1, 25),
        date_precision="day",
    )
    # A staff note: it decides nothing the public sees.
    OrganizationEventFactory(
        organization=mhg,
        kind=OrganizationEvent.Kind.RESUMED,
        date=datetime.date(2024, 2, 1),
        date_precision="month",
        is_public=False,
    )
    handbook = SourceFactory(
        publisher_en="University of Washington Press", title_en="The Post-Soviet Handbook",
        title_ru="", date=datetime.date(1999, 1, 1), date_precision="year",
    )  # fmt: skip
    ccsi = SourceFactory(
        publisher_en="CCSI", title_en="NIS Third Sector Organizations", title_ru="",
        date=datetime.date(1997, 1, 1), date_precision="month",
    )  # fmt: skip
    internal = SourceFactory(title_en=INTERNAL, title_ru=INTERNAL, is_public=False)
    mhg.sources.set([handbook, ccsi, internal])

    centre = OrganizationFactory(
        name_en="Fictional Rights Centre", name_ru="Вымышленный правозащитный центр",
        region=places["chechnya"],
    )  # fmt: skip
    OrganizationEventFactory(
        organization=centre, kind=OrganizationEvent.Kind.UNDESIRABLE,
        date=datetime.date(2023, 5, 10), date_precision="day",
    )  # fmt: skip
    OrganizationEventFactory(
        organization=centre, kind=OrganizationEvent.Kind.FOREIGN_AGENT,
        date=datetime.date(2022, 12, 1), date_precision="month",
    )  # fmt: skip
    undated = SourceFactory(
        publisher_en="Example Archive", publisher_ru="", title_en="Centre file",
        title_ru="Дело центра",
    )  # fmt: skip
    centre.sources.add(
        undated,  # created first, listed last: undated sources come after the dated ones
        SourceFactory(
            publisher_en="Example Gazette", publisher_ru="Пример-газета",
            title_en="Report on the centre", title_ru="Сообщение о центре",
            url="https://example.org/report", date=datetime.date(2023, 5, 10),
            date_precision="day",
        )
    )  # fmt: skip
    demo = OrganizationFactory(name_en="Demo Group 7", name_ru="Демо-группа 7", is_demo=True)
    careful = OrganizationFactory(
        name_en="Careful Group", name_ru="Осторожная группа", contacts_public=False,
        contacts_as_of=datetime.date(2020, 5, 1), contacts_as_of_precision="month",
    )  # fmt: skip
    careful.sources.add(internal)
    return {"mhg": mhg, "centre": centre, "demo": demo, "careful": careful}


EXPECTED = {
    "en": {
        "mhg": [
            "2023-01-25", "", "1997-01",
            "CCSI, NIS Third Sector Organizations, 1997-01; "
            "University of Washington Press, The Post-Soviet Handbook, 1999",
            "0",
        ],
        "centre": [
            "", "entered in the register of “foreign agents”; "
            "declared an “undesirable organization”", "",
            "Example Gazette, Report on the centre, 2023-05-10, https://example.org/report; "
            "Example Archive, Centre file", "0",
        ],
        "demo": ["", "", "", "", "1"],
        "careful": ["", "", "", "", "0"],  # restricted contacts: their date too
    },
    "ru": {
        "mhg": [
            "2023-01-25", "", "1997-01",
            "CCSI, NIS Third Sector Organizations, 1997-01; "
            "University of Washington Press, The Post-Soviet Handbook, 1999",
            "0",
        ],
        "centre": [
            "", "внесена в реестр «иностранных агентов»; признана «нежелательной организацией»",
            "", "Пример-газета, Сообщение о центре, 2023-05-10, https://example.org/report; "
            "Example Archive, Дело центра", "0",
        ],
        "demo": ["", "", "", "", "1"],
        "careful": ["", "", "", "", "0"],
    },
}  # fmt: skip


def test_new_columns_are_appended_in_order():
    url = columns.COLUMNS.index("url")
    assert list(columns.COLUMNS[url + 1 :]) == NEW_COLUMNS + CODE_COLUMNS
    with translation.override("ru"):
        labels = [str(spec.label) for spec in columns.COLUMN_SPECS[url + 1 : url + 6]]
    assert labels == ["Статус с", "Признания властями", "Контакты на дату", "Источники", "Демо"]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_dates_designations_sources_and_demo_in_csv(client, records, lang):
    header, *rows = export_csv(client, lang)

    assert header == HEADERS[lang]
    url = columns.COLUMNS.index("url")
    by_id = {row[0]: row for row in rows}
    for name, organization in records.items():
        demo = url + 1 + len(NEW_COLUMNS)
        assert by_id[str(organization.pk)][url + 1 : demo] == EXPECTED[lang][name], name
    mhg = by_id[str(records["mhg"].pk)]
    assert mhg[columns.COLUMNS.index("status")] == ("closed" if lang == "en" else "закрыта")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_dates_designations_sources_and_demo_in_json(client, records, lang):
    items = {item["id"]: item for item in export_json(client, lang)}

    for item in items.values():
        assert list(item)[-15:] == NEW_COLUMNS + CODE_COLUMNS
    expected = {
        name: dict(zip(NEW_COLUMNS, values, strict=True)) for name, values in EXPECTED[lang].items()
    }
    for name, organization in records.items():
        item = items[organization.pk]
        want = expected[name]
        assert item["status_since"] == (want["status_since"] or None)
        assert item["contacts_as_of"] == (want["contacts_as_of"] or None)
        assert item["designations"] == (
            want["designations"].split("; ") if want["designations"] else []
        )
        assert item["sources"] == (want["sources"].split("; ") if want["sources"] else [])
        assert item["demo"] is (want["demo"] == "1")


def test_staff_only_sources_events_and_restricted_dates_never_leave(client, records):
    for lang in ("ru", "en"):
        for fmt in ("csv", "json"):
            _response, body = download(client, f"/{lang}/organizations/export.{fmt}")
            text = body.decode("utf-8")
            assert INTERNAL not in text
            assert "2024-02" not in text  # the staff-only event's date
            assert "2020-05" not in text  # the restricted contacts' date


def test_csv_is_utf8_with_bom_and_crlf_and_downloads_as_a_named_file(client, mhg):
    response, body = download(client, "/ru/organizations/export.csv")

    assert body.startswith("\ufeffid,name,name_ru,".encode())
    assert "Московская".encode() in body
    lines = body.split(b"\r\n")
    assert len(lines) == 3 and lines[-1] == b""  # header, one row, nothing after the last CRLF
    assert b"\n" not in body.replace(b"\r\n", b"")
    today = timezone.localdate().isoformat()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="rightsnet-organizations-ru-{today}.csv"'
    )
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Total-Count"] == "1"


def test_json_downloads_as_a_named_file(client, mhg):
    response, body = download(client, "/en/organizations/export.json")

    today = timezone.localdate().isoformat()
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="rightsnet-organizations-en-{today}.json"'
    )
    assert response["Cache-Control"] == "no-cache"
    assert not body.startswith(b"\xef\xbb\xbf")
    assert json.loads(body)[0]["name"] == "Moscow Helsinki Group"


def test_empty_result_is_a_header_or_an_empty_array(client, mhg):
    assert export_csv(client, query="?q=nothingmatchesthis") == [HEADERS["ru"]]
    assert export_json(client, query="?q=nothingmatchesthis") == []


def test_commas_quotes_and_newlines_survive_a_round_trip(client, places):
    tricky = 'Group "Memorial", Perm\nbranch; second line\r\nthird'
    org = OrganizationFactory(
        name_en=tricky,
        name_ru="Пермь, «Мемориал»",
        address_en='Lenina st. 1, "office" 2',
        region=places["moscow"],
    )
    PhoneFactory(organization=org, number="1, 2")

    header, row = export_csv(client, "en")

    assert row[header.index("name")] == tricky
    assert row[header.index("name_en")] == tricky
    assert row[header.index("name_ru")] == "Пермь, «Мемориал»"
    assert row[header.index("address")] == 'Lenina st. 1, "office" 2'
    assert row[header.index("phones")] == "1, 2"
    assert export_json(client, "en")[0]["name"] == tricky


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formulas_are_neutralised_in_csv(client, places, start):
    payload = f'{start}HYPERLINK("http://evil.example","x")'
    OrganizationFactory(name_en=payload, name_ru="Группа", city_en=payload, region=None)

    header, row = export_csv(client, "en")

    assert row[header.index("name")] == "'" + payload
    assert row[header.index("name_en")] == "'" + payload
    assert row[header.index("city")] == "'" + payload
    assert row[header.index("name_ru")] == "Группа"
    # JSON is for programs, not spreadsheets: values as they are.
    assert export_json(client, "en")[0]["name"] == payload


def test_phone_numbers_stay_readable(client, places):
    org = OrganizationFactory(region=places["moscow"])
    PhoneFactory(organization=org, number="+7 095 206-81-71", kind=Phone.Kind.TEL)
    PhoneFactory(organization=org, number="095-206-85-07", kind=Phone.Kind.TEL)
    PhoneFactory(organization=org, number="+7 095 921-12-09", kind=Phone.Kind.FAX)

    header, row = export_csv(client, "en")

    # Telephone numbers cannot be a formula: written as they are, the same as in JSON.
    assert row[header.index("phones")] == "+7 095 206-81-71; 095-206-85-07"
    assert row[header.index("fax")] == "+7 095 921-12-09"
    assert export_json(client, "en")[0]["phones"] == ["+7 095 206-81-71", "095-206-85-07"]


@pytest.mark.parametrize(
    "number, cell",
    [
        ("+7 (495) 123-45-67", "+7 (495) 123-45-67"),
        ("+7-495-123-45-67", "+7-495-123-45-67"),
        # Digits alone are a number to a spreadsheet, which would drop the plus.
        ("+74951234567", "'+74951234567"),
        # Anything else after a plus may be a formula.
        ("+7 095 206-81-71 ext. 5", "'+7 095 206-81-71 ext. 5"),
        ("+7 095 206-81-71, 206-85-07", "'+7 095 206-81-71, 206-85-07"),
        ("-7 095 206-81-71", "'-7 095 206-81-71"),
    ],
)
def test_only_plain_phone_numbers_go_without_an_apostrophe(client, places, number, cell):
    org = OrganizationFactory(region=places["moscow"])
    PhoneFactory(organization=org, number=number, kind=Phone.Kind.TEL)

    header, row = export_csv(client, "en")

    assert row[header.index("phones")] == cell
    assert export_json(client, "en")[0]["phones"] == [number]


def test_drafts_and_restricted_contacts_never_leave(client, mhg, places):
    OrganizationFactory(name_en="Secret Draft", name_ru="Тайный черновик", is_published=False)
    hidden = OrganizationFactory(
        name_en="Careful Group",
        name_ru="Осторожная группа",
        region=places["chechnya"],
        contacts_public=False,
        address_en="Hidden street 5",
        address_ru="Скрытая улица, 5",
        postal_code="364000",
        email="careful@example.org",
        website="https://careful.example.org",
    )
    PhoneFactory(organization=hidden, number="8712-22-33-44")
    PhoneFactory(organization=hidden, number="8712-99-88-77", kind=Phone.Kind.FAX)

    for lang in ("ru", "en"):
        _response, body = download(client, f"/{lang}/organizations/export.csv")
        _response, json_body = download(client, f"/{lang}/organizations/export.json")
        for text in (body.decode("utf-8"), json_body.decode("utf-8")):
            for secret in (
                "Secret Draft", "Тайный черновик", "Hidden street", "Скрытая улица", "364000",
                "careful@example.org", "8712-22-33-44", "8712-99-88-77",
            ):  # fmt: skip
                assert secret not in text
        rows = {row[0]: row for row in csv_rows(body)[1:]}
        assert set(rows) == {str(mhg.pk), str(hidden.pk)}
        # address, postal code, phones, fax, email: empty; the website is public.
        assert rows[str(hidden.pk)][8:13] == ["", "", "", "", ""]
        assert rows[str(hidden.pk)][13] == "https://careful.example.org"
        item = next(i for i in json.loads(json_body) if i["id"] == hidden.pk)
        assert (item["address"], item["phones"], item["fax"], item["email"]) == ("", [], [], "")


# The list and the export: the same rows in the same order, across all pages.


@pytest.fixture
def crowd(places, works, mhg):
    """Enough organizations for three list pages, spread over every facet."""
    regions = [places["moscow"], places["chechnya"], places["caucasus"], places["russia"]]
    kinds = [Organization.Kind.GROUP, Organization.Kind.NGO, Organization.Kind.COMMISSION]
    statuses = [Organization.Status.ACTIVE, Organization.Status.CLOSED]
    slugs = list(works)
    for n in range(115):
        OrganizationFactory(
            name_en=f"{'Prava' if n % 3 == 0 else 'Group'} {n:03d}",
            name_ru=f"{'Права' if n % 3 == 0 else 'Группа'} {n:03d}",
            region=regions[n % 4],
            kind=kinds[n % 3],
            status=statuses[n % 2],
            founded=1970 + n % 30 if n % 5 else None,
            is_published=n % 11 != 0,
            activities=[works[slugs[n % 4]], works[slugs[(n + 1) % 4]]] if n % 6 else [],
        )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?sort=-updated",
        "?sort=founded",
        "?q=prava",
        "?q=права&sort=name",
        "?region=north-caucasus",
        "?activity=monitoring&activity=prisons",
        "?kind=group&kind=ngo",
        "?status=closed",
        "?q=group&region=russia&activity=monitoring&activity=networking&kind=ngo&status=active",
        "?region=chechnya&kind=commission&sort=founded",
        "?region=nowhere&kind=bogus&sort=sideways&page=-1",
    ],
)
def test_export_has_exactly_the_rows_of_the_list(client, crowd, query):
    for lang in ("ru", "en"):
        expected = list_ids(client, f"/{lang}/organizations/{query}")
        assert expected, "the filter should match something"
        csv_ids = [int(row[0]) for row in export_csv(client, lang, query)[1:]]
        json_ids = [item["id"] for item in export_json(client, lang, query)]
        assert csv_ids == expected
        assert json_ids == expected


def test_more_than_one_list_page_and_page_ignored(client, crowd):
    everything = list_ids(client, "/ru/organizations/")
    assert len(everything) > 100  # three pages of 50
    assert len(export_csv(client, query="?page=2")) - 1 == len(everything)
    assert len(export_csv(client, query="?page=999")) - 1 == len(everything)


def test_list_page_links_to_the_export_with_its_filters_and_row_count(client, crowd):
    response = client.get("/ru/organizations/?kind=ngo&status=closed&page=2&bogus=1")

    html = response.content.decode()
    total = response.context["result"].total
    assert total == len(export_csv(client, query="?kind=ngo&status=closed")) - 1
    assert 'href="/ru/organizations/export.csv?kind=ngo&amp;status=closed"' in html
    assert 'href="/ru/organizations/export.json?kind=ngo&amp;status=closed"' in html
    assert f"({total} " in html


# Queries: a fixed number, whatever the number of rows.


def make_organizations(places, works, size):
    activities = list(works.values())
    # Sources known to a year, a month, a day; the last one staff-only.
    sources = [
        SourceFactory(date=datetime.date(2000 + n, 1 + n, 1 + n), date_precision=precision)
        for n, precision in enumerate(["year", "month", "day"])
    ] + [SourceFactory(is_public=False)]
    for n in range(size):
        org = OrganizationFactory(
            region=places["chechnya"] if n % 2 else places["moscow"],
            activities=activities[: 1 + n % 3],
            contacts_public=n % 4 != 0,
            contacts_as_of=datetime.date(2020, 1 + n % 12, 1 if n % 2 else 1 + n % 28),
            contacts_as_of_precision="month" if n % 2 else "day",
            is_demo=n % 5 == 0,
        )
        PhoneFactory(organization=org)
        PhoneFactory(organization=org, kind=Phone.Kind.FAX)
        org.sources.set(sources[n % 3 : n % 3 + 2 + n % 2])
        if n % 3 == 1:
            OrganizationEventFactory(
                organization=org, kind=OrganizationEvent.Kind.LIQUIDATED,
                date=datetime.date(2010 + n % 10, 1 + n % 12, 1), date_precision="month",
            )  # fmt: skip
        if n % 4 == 2:
            OrganizationEventFactory(
                organization=org, kind=OrganizationEvent.Kind.FOREIGN_AGENT,
                date=datetime.date(2022, 12, 30), date_precision="day",
            )  # fmt: skip


def search_queries(client, listing, url, query) -> int:
    """The queries of the list's own search (filters, COUNT) for ``query``, warmed up.

    An export runs that search and then queries of its own; the tests count these.
    """
    b"".join(client.get(url + query).streaming_content)  # warm any per-process cache
    # As in a request: the data version of the cached reads is read once.
    with freshness.snapshot(), CaptureQueriesContext(connection) as queries:
        listing.search(QueryDict(query.lstrip("?")), "en").total  # noqa: B018
    return len(queries)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_query_count_is_bounded_and_does_not_grow_with_the_rows(client, places, works, fmt):
    url = f"/en/organizations/export.{fmt}"
    query = "?q=organization&region=russia&sort=founded"
    counts = []
    for size in (3, 40):
        make_organizations(places, works, size - Organization.objects.count())
        search = search_queries(client, ORGANIZATIONS, url, query)
        with CaptureQueriesContext(connection) as queries:
            body = b"".join(client.get(url + query).streaming_content)
        rows = len(csv_rows(body)) - 1 if fmt == "csv" else len(json.loads(body))
        assert rows == size
        counts.append(len(queries) - search)
    # Regions, types of work, public sources and the rows with their phones, types of
    # work, sources and partners (PostgreSQL: one COPY).
    assert counts[0] == counts[1] <= 8


def plain_rows(lang="en"):
    """The organizations export's rows read the slow, obvious way: model instances."""
    ctx = columns.ExportContext(lang=lang, base_url="http://testserver/", public=True)
    result = ORGANIZATIONS.search(QueryDict(), lang)
    instances = {org.pk: org for org in columns.export_queryset(Organization.objects.all())}
    ids = result.queryset.values_list("pk", flat=True)
    return [columns.organization_row(instances[pk], ctx) for pk in ids]


def exported_rows(lang="en", chunk_size=exports.CHUNK_SIZE):
    ctx = columns.ExportContext(lang=lang, base_url="http://testserver/", public=True)
    result = ORGANIZATIONS.search(QueryDict(), lang)
    return exports.organization_rows(result, ctx, chunk_size)


@pytest.mark.parametrize("chunk_size", [1, 3, exports.CHUNK_SIZE])
def test_the_fast_reader_gives_the_rows_of_the_plain_one(places, works, chunk_size):
    """The PostgreSQL COPY (or SQLite's raw chunks) against model instances."""
    make_organizations(places, works, 7)
    assert list(exported_rows(chunk_size=chunk_size)) == plain_rows()


@pytest.mark.django_db(transaction=True)  # committed, as another request edits
def test_an_edit_during_an_export_does_not_tear_a_row(places, works):
    make_organizations(places, works, 3)
    before = {row["id"]: row for row in plain_rows()}
    rows = exported_rows(chunk_size=1)
    first = next(rows)

    errors = []

    def edit():  # another request, on its own connection: a type of work added to each
        try:
            for org in Organization.objects.all():
                org.activities.add(ActivityTypeFactory(name_en=f"Added to {org.pk}"))
        except OperationalError as error:
            errors.append(error)
        finally:
            connection.close()

    editor = threading.Thread(target=edit)
    editor.start()
    editor.join()
    rest = list(rows)
    # Each row is as it was, or (SQLite, no snapshot) with a later edit whole.
    for row in (first, *rest):
        assert row == before[row["id"]] or row["activities"] == sorted(
            [*before[row["id"]]["activities"], f"Added to {row['id']}"]
        )
    assert len(rest) == 2
    # SQLite's in-memory test database locks a writer out while the export reads.
    assert not errors or connection.vendor == "sqlite"


def test_export_is_byte_for_byte_the_shared_columns_of_the_model(client, places, works):
    """The export reads plain values, not model instances, and writes CSV itself.

    ``tests/staff.py`` writes the same list the slow, obvious way: ``csv.writer`` over
    ``columns.csv_cells(columns.organization_row(instance))``. The bytes must match.
    """
    tricky = [
        ("Plain group", "Moscow", "095-206-81-71"),
        ('Group "Memorial", Perm\nsecond line\r\nthird', "=SUM(A1)", "+7 095 206-81-71"),
        ("", "-Perm", "1, 2"),  # no English name: the Russian one, marked nowhere in CSV
        ("@mention, and more", " leading space", '"quoted" number'),
        ("\tTabbed", "Grozny\r", "@home"),
    ]
    activities = list(works.values())
    sources = [
        SourceFactory(publisher_en='=HYPERLINK("x")', title_en='A "quoted", title; here'),
        SourceFactory(
            title_ru="Только по-русски",
            title_en="",
            date=datetime.date(1997, 1, 1),
            date_precision="month",
        ),  # fmt: skip
        SourceFactory(is_public=False),
    ]
    for n, (name_en, city_en, number) in enumerate(tricky):
        org = OrganizationFactory(
            name_en=name_en,
            name_ru=f"Группа {n}" if n != 3 else "",
            city_en=city_en,
            address_en=f'Street {n}, "house" {n}',
            founded=1990 + n,  # the export's sort=founded is the pk order of tests/staff.py
            region=None if n == 2 else places["chechnya"],
            contacts_public=n != 1,
            last_verified=None if n % 2 else datetime.date(2020, 1, n + 1),
            contacts_as_of=None if n == 4 else datetime.date(2019, n + 1, 1),
            contacts_as_of_precision="" if n == 4 else "month",
            is_demo=n == 3,
            activities=activities[: n % 4],
        )
        org.sources.set(sources[: n % 4])
        PhoneFactory(organization=org, number=number, kind=Phone.Kind.TEL)
        PhoneFactory(organization=org, number=f"fax {n}", kind=Phone.Kind.FAX)

    for lang in ("ru", "en"):
        _response, body = download(client, f"/{lang}/organizations/export.csv?sort=founded")
        assert body == staff.export_csv(lang), lang
        _response, body = download(client, f"/{lang}/organizations/export.json?sort=founded")
        assert body == stdlib_json_array(json.loads(body)), lang


@pytest.mark.django_db(transaction=True)  # autocommit, as a server streams
def test_a_download_closed_midway_lets_go_of_the_database(client, places, works, monkeypatch):
    make_organizations(places, works, 5)
    monkeypatch.setattr(listing_exports, "ROWS_PER_PIECE", 2)
    response = client.get("/en/organizations/export.csv")
    stream = iter(response.streaming_content)
    next(stream), next(stream)  # the header, the first piece: then the client goes away
    response.close()

    assert_connection_free()


# Bad input and failures.


@pytest.mark.parametrize(
    "url",
    [
        "/ru/organizations/export.xml",
        "/ru/organizations/export.CSV",
        "/ru/organizations/export.csv/",
        "/ru/organizations/export.",
        "/ru/people/export.ods",  # xlsx is a format since issue 15
    ],
)
def test_unknown_format_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_only_get_and_head(client, mhg):
    assert client.post("/ru/organizations/export.csv").status_code == 405
    assert client.head("/ru/organizations/export.csv").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "?q=" + "x" * 10_000,
        "?q=%00%00Helsinki",
        "?q=Helsinki&q=Moscow",
        "?region=%00&region=moscow&activity=&activity=%FF",
        "?kind=group&kind=group&kind=" + "k" * 500,
        "?sort=relevance",
        "?founded=abc&page=abc&status[]=x",
    ],
)
def test_bad_input_gives_a_complete_export(client, mhg, query):
    for fmt in ("csv", "json"):
        response, body = download(client, f"/ru/organizations/export.{fmt}{query}")
        if fmt == "csv":
            rows = csv_rows(body)
            assert rows[0] == HEADERS["ru"]
            ids = [int(row[0]) for row in rows[1:]]
        else:
            ids = [item["id"] for item in json.loads(body)]
        assert ids in ([mhg.pk], [])
        assert response["X-Total-Count"] == str(len(ids))


def assert_connection_free():
    """The export let go of its connection: no COPY or cursor still reading from it.

    PostgreSQL would make the next query wait for a COPY left open, so its state is
    asked first, and the test fails rather than hangs.
    """
    if connection.vendor == "postgresql" and connection.connection is not None:
        assert connection.connection.info.transaction_status == TransactionStatus.IDLE
    assert Organization.objects.count() == 5


def broken_after(count, error):
    real = columns.organization_row
    calls = {"n": 0}

    def row(org, ctx):
        calls["n"] += 1
        if calls["n"] > count:
            raise error
        return real(org, ctx)

    return row


def consume_until_failure(response, error) -> bytes:
    received = []
    with pytest.raises(type(error)):
        for chunk in response.streaming_content:
            received.append(chunk)
    return b"".join(received)


@pytest.mark.django_db(transaction=True)  # autocommit, as a server streams
def test_a_failure_midway_leaves_a_visibly_broken_csv(client, places, works, monkeypatch, caplog):
    make_organizations(places, works, 5)
    monkeypatch.setattr(listing_exports, "ROWS_PER_PIECE", 2)
    # A lost connection (no driver code): downloading again can help, and the file says so.
    error = OperationalError("database went away")
    monkeypatch.setattr(columns, "organization_row", broken_after(3, error))

    with caplog.at_level(logging.ERROR, logger="listing.exports"):
        body = consume_until_failure(client.get("/en/organizations/export.csv"), error)

    rows = csv_rows(body)
    assert len(rows) == 1 + 2 + 1  # header, the first piece, the error line
    assert rows[-1] == [
        "ERROR: the export stopped before the end and this file is incomplete. "
        "Please download it again."
    ]
    assert "CSV export of organizations failed" in caplog.text
    assert_connection_free()


def test_a_failure_midway_leaves_unparseable_json(client, places, works, monkeypatch, caplog):
    make_organizations(places, works, 5)
    monkeypatch.setattr(listing_exports, "ROWS_PER_PIECE", 2)
    # A bug: downloading again cannot help, and the file does not ask for it.
    error = RuntimeError("a bug")
    monkeypatch.setattr(columns, "organization_row", broken_after(3, error))

    with caplog.at_level(logging.ERROR, logger="listing.exports"):
        body = consume_until_failure(client.get("/ru/organizations/export.json"), error)

    text = body.decode("utf-8")
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert not text.rstrip().endswith("]")
    error = json.loads(text.rstrip().splitlines()[-1])
    assert error == {
        "error": "ОШИБКА: выгрузка прервалась, и этот файл неполон. "
        "Сбой на нашей стороне, он записан."
    }
    assert "JSON export of organizations failed" in caplog.text


# People.

_PERSON_KEYS = [
    "id", "name", "name_ru", "name_en", "title", "region", "region_path",
    "organizations", "roles", "updated_at", "url", "sources", "demo",
    "slug", "region_slug", "organization_slugs",
]  # fmt: skip
PERSON_HEADERS = {"ru": _PERSON_KEYS, "en": _PERSON_KEYS}


@pytest.fixture
def alekseeva(mhg, places):
    person = PersonFactory(
        name_ru="Людмила Алексеева",
        name_en="Lyudmila Alexeyeva",
        slug="lyudmila-alexeyeva",
        title_ru="председатель",
        title_en="chair",
        region=places["moscow"],
    )
    AffiliationFactory(person=person, organization=mhg, role_ru="председатель", role_en="chair")
    draft = OrganizationFactory(name_en="Draft Org", name_ru="Черновик", is_published=False)
    AffiliationFactory(person=person, organization=draft, role_en="secret", role_ru="тайна")
    type(person).objects.filter(pk=person.pk).update(updated_at=UPDATED)
    return person


def test_person_rows_in_both_languages(client, alekseeva):
    assert export_csv(client, "ru", list_name="people") == [
        PERSON_HEADERS["ru"],
        [
            str(alekseeva.pk),
            "Людмила Алексеева",
            "Людмила Алексеева",
            "Lyudmila Alexeyeva",
            "председатель",
            "Москва",
            "Россия / Центральная Россия / Москва",
            "Московская Хельсинкская группа",
            "Московская Хельсинкская группа: председатель",
            "2026-11-20T12:30:00+03:00",
            "http://testserver/ru/people/lyudmila-alexeyeva/",
            "",
            "0",
            "lyudmila-alexeyeva",
            "moscow",
            "moscow-helsinki-group",  # not the draft organization
        ],
    ]
    (item,) = export_json(client, "en", list_name="people")
    assert item == {
        "id": alekseeva.pk,
        "name": "Lyudmila Alexeyeva",
        "name_ru": "Людмила Алексеева",
        "name_en": "Lyudmila Alexeyeva",
        "title": "chair",
        "region": "Moscow",
        "region_path": "Russia / Central Russia / Moscow",
        "organizations": ["Moscow Helsinki Group"],
        "roles": ["Moscow Helsinki Group: chair"],
        "updated_at": "2026-11-20T12:30:00+03:00",
        "url": "http://testserver/en/people/lyudmila-alexeyeva/",
        "sources": [],
        "demo": False,
        "slug": "lyudmila-alexeyeva",
        "region_slug": "moscow",
        "organization_slugs": ["moscow-helsinki-group"],
    }
    assert export_csv(client, "en", list_name="people")[0] == PERSON_HEADERS["en"]


def test_people_have_their_public_sources_and_the_demo_flag(client, alekseeva):
    alekseeva.sources.set(
        [
            SourceFactory(
                publisher_en="Example Gazette", title_en="An interview",
                title_ru="", date=datetime.date(2016, 9, 1), date_precision="day",
            ),
            SourceFactory(title_en=INTERNAL, title_ru=INTERNAL, is_public=False),
        ]
    )  # fmt: skip
    demo = PersonFactory(name_en="Demo Person 3", name_ru="Демо-персона 3", is_demo=True)

    for lang in ("ru", "en"):
        header, *rows = export_csv(client, lang, list_name="people")
        sources = header.index("sources")
        assert header[sources : sources + 2] == ["sources", "demo"]
        by_id = {row[0]: row for row in rows}
        assert by_id[str(alekseeva.pk)][sources : sources + 2] == [
            "Example Gazette, An interview, 2016-09-01",
            "0",
        ]
        assert by_id[str(demo.pk)][sources : sources + 2] == ["", "1"]
        items = {item["id"]: item for item in export_json(client, lang, list_name="people")}
        assert items[alekseeva.pk]["sources"] == ["Example Gazette, An interview, 2016-09-01"]
        assert (items[alekseeva.pk]["demo"], items[demo.pk]["demo"]) == (False, True)
        for fmt in ("csv", "json"):
            _response, body = download(client, f"/{lang}/people/export.{fmt}")
            assert INTERNAL not in body.decode("utf-8")


def test_draft_people_and_draft_organizations_are_not_exported(client, alekseeva):
    PersonFactory(name_en="Hidden Person", name_ru="Скрытый человек", is_published=False)

    for lang in ("ru", "en"):
        for fmt in ("csv", "json"):
            _response, body = download(client, f"/{lang}/people/export.{fmt}")
            text = body.decode("utf-8")
            for secret in ("Hidden Person", "Скрытый человек", "Draft Org", "Черновик", "тайна"):
                assert secret not in text


@pytest.mark.parametrize(
    "query",
    ["", "?q=person", "?region=north-caucasus", "?organization={slug}", "?sort=-updated"],
)
def test_people_export_has_exactly_the_rows_of_the_list(client, places, mhg, query):
    regions = [places["moscow"], places["chechnya"], places["russia"]]
    for n in range(60):
        person = PersonFactory(region=regions[n % 3], is_published=n % 7 != 0)
        if n % 2:
            AffiliationFactory(person=person, organization=mhg)
    query = query.format(slug=mhg.slug)
    expected = list_ids(client, f"/ru/people/{query}")
    assert expected
    assert [int(row[0]) for row in export_csv(client, "ru", query, "people")[1:]] == expected
    assert [item["id"] for item in export_json(client, "en", query, "people")] == list_ids(
        client, f"/en/people/{query}"
    )


@pytest.mark.parametrize("size", [2, 25])
def test_people_query_count_is_fixed(client, django_assert_num_queries, places, mhg, size):
    sources = [SourceFactory(), SourceFactory(is_public=False)]
    for n in range(size):
        person = PersonFactory(region=places["chechnya"])
        AffiliationFactory(person=person, organization=mhg)
        person.sources.set(sources[: 1 + n % 2])

    url, query = "/en/people/export.csv", "?region=russia"
    search = search_queries(client, PEOPLE, url, query)

    # The search, then: every region's path, the people, their affiliations, their
    # public sources and every public source's citation.
    with django_assert_num_queries(search + 5):
        body = b"".join(client.get(url + query).streaming_content)

    assert len(csv_rows(body)) == size + 1
