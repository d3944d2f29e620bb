"""A researcher's browser or cache asks again for an export it has: 304 while nothing changed.

Every export carries a weak ``ETag`` (the data version with what makes the file: its
address, cleaned filters, language, format) and ``Last-Modified`` (the data's last
change); ``Cache-Control: no-cache`` lets a copy be kept and asked about again.
"""

import datetime
import gzip

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from directory.models import DataVersion, Organization
from listing import exports
from tests.factories import (
    ActivityTypeFactory,
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    PracticeFactory,
    PublicationFactory,
    RegionFactory,
)
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

LISTS = ("organizations", "people", "practices", "publications")
GZIP = {"Accept-Encoding": "gzip"}
A_WHILE_AGO = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def data():
    siberia = RegionFactory(slug="siberia", name_ru="Сибирь", name_en="Siberia")
    monitoring = ActivityTypeFactory(slug="monitoring")
    legal = ActivityTypeFactory(slug="legal-aid")
    org = OrganizationFactory(name_ru="Мемориал", name_en="Memorial", region=siberia)
    org.activities.add(monitoring, legal)
    OrganizationFactory(name_en="Other group")
    AffiliationFactory(person=PersonFactory(), organization=org)
    PracticeFactory()
    PublicationFactory()
    # The data's last change, well before now: a write after it is a later second.
    DataVersion.objects.update(changed_at=A_WHILE_AGO)
    return org


def fetch(client, url, method="get", **headers):
    response = getattr(client, method)(url, headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def vary(response) -> set[str]:
    return {field.strip().lower() for field in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("fmt", exports.FORMATS)
@pytest.mark.parametrize("name", LISTS)
def test_every_export_has_validators_and_may_be_kept_and_revalidated(client, data, name, fmt):
    response, body = fetch(client, f"/en/{name}/export.{fmt}")
    assert response.status_code == 200 and body
    assert response["ETag"].startswith('W/"') and len(response["ETag"]) == 36
    assert response["Last-Modified"] == http_date(A_WHILE_AGO.timestamp())
    assert response["Cache-Control"] == "no-cache"
    # Text is compressed (and so varies); a spreadsheet is a zip already.
    assert ("accept-encoding" in vary(response)) is (fmt != "xlsx")


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("name", LISTS)
def test_a_matching_conditional_request_is_a_304_without_a_body(client, data, name, method):
    url = f"/ru/{name}/export.csv?q=memorial"
    first, _body = fetch(client, url)
    for headers in (
        {"If-None-Match": first["ETag"]},
        {"If-None-Match": f'"other", {first["ETag"]}'},
        {"If-None-Match": first["ETag"].removeprefix("W/")},  # weak comparison
        {"If-None-Match": "*"},
        {"If-Modified-Since": first["Last-Modified"]},
        {"If-Modified-Since": http_date(timezone.now().timestamp())},
    ):
        response, body = fetch(client, url, method, **headers)
        assert response.status_code == 304, headers
        assert body == b""
        assert not response.has_header("Content-Disposition")
        assert response["ETag"] == first["ETag"]
        assert response["Last-Modified"] == first["Last-Modified"]
        assert response["Cache-Control"] == "no-cache"
        assert "accept-encoding" in vary(response)


def test_a_conditional_request_that_does_not_match_gets_the_file(client, data):
    url = "/en/organizations/export.csv"
    first, body = fetch(client, url)
    earlier = http_date(A_WHILE_AGO.timestamp() - 1)
    for headers in (
        {"If-None-Match": '"something-else"'},
        {"If-Modified-Since": earlier},
        # If-None-Match decides when both are sent (RFC 9110 13.1.3).
        {"If-None-Match": '"something-else"', "If-Modified-Since": first["Last-Modified"]},
    ):
        response, again = fetch(client, url, **headers)
        assert response.status_code == 200, headers
        assert again == body


def test_the_304_makes_no_query_of_the_rows(client, data):
    url = "/ru/organizations/export.csv?region=siberia&activity=monitoring&q=Мемориал&sort=name"
    first, _body = fetch(client, url)
    # Warm: the data version's one row, and nothing else.
    with CaptureQueriesContext(connection) as queries:
        response, _body = fetch(client, url, **{"If-None-Match": first["ETag"]})
    assert response.status_code == 304
    assert [query["sql"] for query in queries] == [
        query["sql"] for query in queries if "directory_dataversion" in query["sql"]
    ]
    assert len(queries) == 1
    # Cold (another server): what cleaning the filters needs, regions and types of work.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response, _body = fetch(client, url, **{"If-None-Match": first["ETag"]})
    assert response.status_code == 304
    tables = [query["sql"].split(" FROM ")[1].split()[0] for query in queries]
    assert sorted(tables) == [
        '"directory_activitytype"',
        '"directory_dataversion"',
        '"directory_region"',
    ]


def test_an_admin_save_changes_the_etag_and_last_modified(client, data):
    url = "/ru/organizations/export.json"
    first, old_body = fetch(client, url)
    editor = staff_user("editor", group="Editors")
    client.force_login(editor)
    saved = client.post(
        reverse("admin:directory_organization_changelist"),
        {"action": "set_status_closed", "_selected_action": [data.pk]},
        follow=True,
    )
    assert saved.status_code == 200
    client.logout()
    assert Organization.objects.get(pk=data.pk).status == "closed"

    response, body = fetch(client, url, **{"If-None-Match": first["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert body != old_body
    changed = DataVersion.objects.get().changed_at
    assert changed > A_WHILE_AGO
    assert response["Last-Modified"] == http_date(changed.timestamp())
    response, body = fetch(client, url, **{"If-Modified-Since": first["Last-Modified"]})
    assert response.status_code == 200 and body
    response, body = fetch(client, url, **{"If-None-Match": response["ETag"]})
    assert response.status_code == 304


def test_what_makes_the_file_makes_the_etag(client, data):
    def etag(url):
        return fetch(client, url)[0]["ETag"]

    def download(url):
        response, _body = fetch(client, url)
        return response["ETag"], response["Content-Disposition"]

    base = "/ru/organizations/export.csv"
    tags = {
        etag(url)
        for url in (
            base,
            base + "?region=siberia",
            base + "?region=siberia&activity=monitoring",
            base + "?region=siberia&activity=monitoring&activity_mode=all",
            base + "?region=siberia&sort=founded",
            "/en/organizations/export.csv",
            "/ru/organizations/export.json",
            "/ru/people/export.csv",
        )
    }
    assert len(tags) == 8
    # The same filters in another order, repeated, or with a value the list drops.
    same = download(f"{base}?activity=monitoring&activity=legal-aid&region=siberia")
    assert download(f"{base}?region=siberia&activity=legal-aid&activity=monitoring") == same
    assert download(f"{base}?activity=legal-aid&activity=monitoring&region=siberia&page=4") == same
    assert (
        download(f"{base}?region=siberia&activity=legal-aid&activity=nope&activity=monitoring")
        == same
    )
    assert 'filename="rightsnet-organizations-ru-siberia-legal-aid-monitoring-' in same[1]
    assert etag(base) == etag(base + "?q=")


def test_a_new_day_is_a_new_etag(client, data, monkeypatch):
    """The file name carries the day (and a spreadsheet may say when it was made)."""
    url = "/en/practices/export.csv"
    first = fetch(client, url)[0]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    response, body = fetch(client, url, **{"If-None-Match": first["ETag"]})
    assert response.status_code == 200 and body
    assert tomorrow.isoformat() in response["Content-Disposition"]


BAD_HEADERS = [
    {"If-Modified-Since": "yesterday"},
    {"If-Modified-Since": "Mon, 99 Foo 99999 99:99:99 GMT"},
    {"If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT" * 50},
    {"If-Modified-Since": "\x00"},
    {"If-Unmodified-Since": "garbage"},
    {"If-None-Match": "garbage"},
    {"If-None-Match": '"unterminated'},
    {"If-None-Match": "W/"},
    {"If-None-Match": ", , ,"},
    {"If-None-Match": ", ".join(f'"{n}"' for n in range(20_000))},
    {"If-None-Match": "*, *"},
    {"If-Match": "garbage"},
    {"If-Match": '"nope"'},
    {"If-Range": "garbage", "Range": "bytes=0-10"},
]


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("headers", BAD_HEADERS, ids=lambda headers: repr(headers)[:40])
def test_malformed_conditional_headers_never_fail(client, data, headers, method):
    response, body = fetch(client, "/ru/organizations/export.csv?q=Мемориал", method, **headers)
    assert response.status_code in (200, 304, 412)
    if response.status_code == 200 and method == "get":
        assert "Мемориал".encode() in body


def test_if_match_other_than_star_fails_the_precondition(client, data):
    """Weak ETags never match strongly: If-Match can only be ``*`` (RFC 9110 13.1.1)."""
    url = "/en/organizations/export.csv"
    first = fetch(client, url)[0]
    assert fetch(client, url, **{"If-Match": first["ETag"]})[0].status_code == 412
    assert fetch(client, url, **{"If-Match": "*"})[0].status_code == 200


def test_a_compressed_export_keeps_the_weak_etag_and_its_304_is_not_compressed(client, data):
    url = "/ru/organizations/export.csv"
    plain, raw = fetch(client, url)
    compressed, body = fetch(client, url, **GZIP)
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == raw
    assert compressed["ETag"] == plain["ETag"]  # weak already: not changed by the middleware
    for tag in (plain["ETag"], compressed["ETag"]):
        response, body = fetch(client, url, **GZIP, **{"If-None-Match": tag})
        assert response.status_code == 304
        assert body == b""
        assert not response.has_header("Content-Encoding")
        assert "accept-encoding" in vary(response)


def test_an_export_that_cannot_start_is_not_given_validators(client, data, monkeypatch):
    def broken(*args, **kwargs):
        raise exports.DatabaseError("no such table")

    monkeypatch.setattr(exports.Export, "start", broken)
    response, _body = fetch(client, "/en/organizations/export.csv")
    assert response.status_code == 500
    assert not response.has_header("ETag")
    assert not response.has_header("Last-Modified")
    assert response["Cache-Control"] == "no-store"
