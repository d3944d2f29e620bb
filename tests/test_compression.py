"""gzip for public pages and exports, never where a page reflects a secret (BREACH).

What a client that sends ``Accept-Encoding: gzip`` receives from the app
(``rightsnet.compression``): the public lists, pages and exports compressed, with
``Vary: Accept-Encoding``, decompressing to exactly the page a client without it gets;
the pages carrying a CSRF token (the public's forms, the admin) never compressed. The
last test asks a real gunicorn, as ``make serve`` runs it.
"""

import gzip
import logging
import re
import urllib.request
import zlib

import pytest
from django.db import OperationalError
from django.test import Client

from directory import columns
from directory.models import Organization
from listing import exports as listing_exports
from rightsnet.headers import without_nonce
from sitedata.generator import generate_directory
from sitedata.services import load_sample_data
from tests.factories import OrganizationFactory
from tests.servers import AppServer, manage, production_env
from tests.staff import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def sample(db):
    load_sample_data()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def vary(response) -> set[str]:
    return {field.strip().lower() for field in response.get("Vary", "").split(",")}


def public_urls(language: str) -> list[str]:
    organization = Organization.objects.published().order_by("pk").first()
    return [
        f"/{language}/",
        f"/{language}/organizations/",
        organization.get_absolute_url().replace("/ru/", f"/{language}/", 1),
        f"/{language}/people/",
        f"/{language}/organizations/export.csv",
        f"/{language}/organizations/export.json",
    ]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_public_pages_and_exports_are_gzipped_to_the_same_bytes(client, sample, language):
    for url in public_urls(language):
        # Compressed on a cold cache, plain and compressed again on a warm one: the
        # cached blocks hold plain HTML and each response is compressed once. Each is
        # read to the end before the next request, as a server does (an export's COPY).
        responses = []
        for headers in (GZIP, {}, GZIP):
            response = client.get(url, headers=headers)
            responses.append((response, body(response)))
        (cold, cold_body), (plain, raw), (warm, warm_body) = responses
        for response, _content in responses:
            assert response.status_code == 200, url
            assert "accept-encoding" in vary(response), url
        assert not plain.has_header("Content-Encoding"), url
        for response, compressed in ((cold, cold_body), (warm, warm_body)):
            assert response["Content-Encoding"] == "gzip", url
            assert without_nonce(gzip.decompress(compressed)) == without_nonce(raw), url
            assert len(compressed) < len(raw) / 2, url
        print(f"{url}: {len(raw)} bytes, gzip {len(compressed)} ({len(compressed) / len(raw):.0%})")


def test_a_full_list_page_compresses_to_under_a_quarter(client, sample):
    generate_directory(orgs=60, seed=1)
    for url in ("/ru/organizations/", "/en/organizations/"):
        raw = body(client.get(url))
        response = client.get(url, headers=GZIP)
        compressed = body(response)
        assert response["Content-Encoding"] == "gzip"
        assert response["Content-Length"] == str(len(compressed))
        assert raw.count(b'<li class="result') >= 50
        print(f"{url} (50 cards): {len(raw)} bytes, gzip {len(compressed)}")
        assert len(compressed) < 0.25 * len(raw)


@pytest.mark.parametrize("accept", [None, "identity", "br", "deflate", "gzip;q=0, br"])
def test_no_gzip_unless_the_client_asks_for_it(client, sample, accept):
    headers = {"Accept-Encoding": accept} if accept else {}
    for url in ("/ru/organizations/", "/ru/organizations/export.csv"):
        response = client.get(url, headers=headers)
        assert not response.has_header("Content-Encoding")
        assert body(response).lower().startswith((b"<!doctype html>", b"\xef\xbb\xbf"))
        assert "accept-encoding" in vary(response)


def test_pages_with_a_csrf_token_are_never_compressed(client, sample):
    organization = OrganizationFactory(email="group@example.org", slug="writes-back")
    pages = [
        f"/ru/organizations/{organization.slug}/contact/",
        f"/en/organizations/{organization.slug}/suggest/",
        "/ru/suggest/",
        "/admin/login/",
    ]
    for url in pages:
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, url
        assert b'name="csrfmiddlewaretoken"' in response.content, url
        assert not response.has_header("Content-Encoding"), url
        assert "accept-encoding" not in vary(response), url
        assert "cookie" in vary(response), url


def test_the_admin_is_never_compressed(client, sample):
    staff_user("editor", superuser=True)
    assert client.login(username="editor", password=PASSWORD)
    for url in ("/admin/", "/admin/directory/organization/"):
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, url
        assert len(response.content) > 2000
        assert not response.has_header("Content-Encoding"), url


def test_a_form_sent_back_with_errors_is_not_compressed(client, sample):
    csrf_client = Client(enforce_csrf_checks=False)
    response = csrf_client.post("/en/suggest/", {"name_en": ""}, headers=GZIP)
    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content
    assert not response.has_header("Content-Encoding")


def test_head_says_what_get_would_send(client, sample):
    response = client.head("/ru/organizations/", headers=GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "accept-encoding" in vary(response)
    assert response.content == b""


def test_a_conditional_get_answered_304_keeps_its_vary(client, sample):
    """The sitemap compresses its own cached documents and answers conditional GETs."""
    first = client.get("/sitemap.xml", headers=GZIP)
    assert first["Content-Encoding"] == "gzip"
    again = client.get("/sitemap.xml", headers={**GZIP, "If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert not again.has_header("Content-Encoding")
    assert "accept-encoding" in vary(again)


@pytest.mark.django_db(transaction=True)  # autocommit, as a server streams
def test_a_compressed_export_failing_midway_still_ends_with_its_error_line(
    client, monkeypatch, caplog
):
    for _ in range(5):
        OrganizationFactory()
    monkeypatch.setattr(listing_exports, "ROWS_PER_PIECE", 2)
    error = OperationalError("database went away")
    real, calls = columns.organization_row, []

    def broken_row(org, ctx):
        calls.append(org)
        if len(calls) > 3:
            raise error
        return real(org, ctx)

    monkeypatch.setattr(columns, "organization_row", broken_row)
    response = client.get("/en/organizations/export.csv", headers=GZIP)
    assert response["Content-Encoding"] == "gzip"
    received = []
    with (
        caplog.at_level(logging.ERROR, logger="listing.exports"),
        pytest.raises(OperationalError),
    ):
        for chunk in response.streaming_content:
            received.append(chunk)
    # No gzip trailer (the response is aborted), but every piece sent decompresses.
    text = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(b"".join(received)).decode()
    lines = text.rstrip("\r\n").split("\r\n")
    assert len(lines) == 1 + 2 + 1  # header, the first piece, the error line
    assert lines[-1] == (
        "ERROR: the export stopped before the end and this file is incomplete. "
        "Please download it again."
    )


@pytest.mark.django_db(transaction=True)
def test_gunicorn_as_make_serve_runs_it_sends_gzip(static_root, tmp_path):
    env = production_env(
        f"sqlite:///{tmp_path / 'serve.sqlite3'}", DJANGO_STATIC_ROOT=str(static_root)
    )
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_sample_data", "--verbosity", "0")
    with AppServer(env, tmp_path, "serve", workers=1) as server:

        def get(path: str, **headers: str):
            request = urllib.request.Request(server.url + path, headers=headers)
            with urllib.request.urlopen(request, timeout=30) as reply:
                return reply.status, reply.headers, reply.read()

        status, headers, plain = get("/ru/organizations/")
        assert status == 200
        assert headers["Content-Encoding"] is None
        status, headers, compressed = get("/ru/organizations/", **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in headers["Vary"]
        assert without_nonce(gzip.decompress(compressed)) == without_nonce(plain)
        print(f"gunicorn /ru/organizations/: {len(plain)} bytes, gzip {len(compressed)}")

        # WhiteNoise serves its own precompressed CSS (compressed once, not twice).
        css = re.search(rb'href="(/static/[^"]+\.css)"', plain).group(1).decode()
        status, headers, compressed_css = get(css, **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert b"{" in gzip.decompress(compressed_css)

        # The public's forms carry a CSRF token: never compressed.
        status, headers, form = get("/ru/suggest/", **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] is None
        assert b'name="csrfmiddlewaretoken"' in form
        assert "Cookie" in headers["Vary"]
