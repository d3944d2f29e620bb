"""A website stored other than through the form is a link only if http, https or mailto."""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from directory.columns import COLUMNS
from directory.models import Organization
from rightsnet.links import safe_url
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

WEBSITE = COLUMNS.index("website")
UNSAFE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "  javascript:alert(1)",
    "\x01javascript:alert(1)",
    "\x1f\x0bjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\u00a0javascript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/",
    "//evil.example/",
    "/ru/about/",
    "www.example.org",
    "httpſ://example.org/",  # "ſ" folds to "s" only under Unicode case rules
    " https://example.org/",  # anything before the scheme
]
SAFE = [
    "https://example.org/",
    "http://example.org/path?a=1&b=2#top",
    "HTTPS://EXAMPLE.ORG/",
    "HtTp://example.org",
    'https://example.org/a,"quoted",b',
    "mailto:info@example.org",
    "MAILTO:info@example.org",
]


@pytest.mark.parametrize("value", UNSAFE)
def test_unsafe_addresses_are_no_links(value):
    assert safe_url(value) == ""


@pytest.mark.parametrize("value", SAFE)
def test_http_https_and_mailto_pass_unchanged(value):
    assert safe_url(value) == value


class _Links(HTMLParser):
    """Every href and src of a page, and the JSON-LD blocks."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "action"):
            if attrs.get(name) is not None:
                self.urls.append(attrs[name])
        self._in_json_ld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(data)


# What a browser reads as the scheme: tabs and newlines removed, leading controls and
# spaces stripped (the URL standard), then letters up to the first colon.
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def browser_scheme(url: str) -> str | None:
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def page_links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def store_website(org: Organization, value: str) -> None:
    """Write past every validation, as a data migration or a shell would."""
    Organization.objects.filter(pk=org.pk).update(website=value)


def export_body(client, fmt: str, lang: str) -> bytes:
    with translation.override(lang):
        url = reverse("directory:organization_export", kwargs={"format": fmt})
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_websites(body: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows[0][WEBSITE] in {"website", "Сайт"}
    return [row[WEBSITE] for row in rows[1:]]


@pytest.mark.parametrize("value", UNSAFE)
def test_an_unsafe_website_is_never_a_live_link(client, value):
    org = OrganizationFactory(name_en="Perm Memorial", name_ru="Пермский Мемориал")
    store_website(org, value)
    for lang in ["ru", "en"]:
        with translation.override(lang):
            response = client.get(org.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        links = page_links(html)
        schemes = {browser_scheme(url) for url in links.urls} - {None}
        assert schemes <= {"http", "https", "mailto", "tel"}, schemes
        assert "Website" not in html and "Сайт" not in html
        (json_ld,) = links.json_ld
        data = json.loads(json_ld)
        assert data["name"] in {"Perm Memorial", "Пермский Мемориал"}
        assert "sameAs" not in data

        # Exports: the website cell is empty, the row itself is there.
        assert csv_websites(export_body(client, "csv", lang)) == [""]
        (row,) = json.loads(export_body(client, "json", lang))
        assert row["website"] == ""
        assert row["name_en"] == "Perm Memorial"


@pytest.mark.parametrize("value", SAFE)
def test_a_safe_website_is_a_link_and_exported_as_is(client, value):
    org = OrganizationFactory(name_en="Perm Memorial", name_ru="Пермский Мемориал")
    store_website(org, value)
    for lang in ["ru", "en"]:
        with translation.override(lang):
            response = client.get(org.get_absolute_url())
        links = page_links(response.content.decode())
        assert value in links.urls
        assert json.loads(links.json_ld[0])["sameAs"] == value

        body = export_body(client, "csv", lang)
        assert csv_websites(body) == [value]
        # The exact bytes of the cell, quoted as before where it needs quoting.
        cell = '"' + value.replace('"', '""') + '"' if "," in value or '"' in value else value
        assert f",{cell},".encode() in body
        (row,) = json.loads(export_body(client, "json", lang))
        assert row["website"] == value


@pytest.mark.parametrize("value", ["javascript:alert(1)", "java\tscript:alert(1)", "ftp://x.org/"])
def test_the_admin_form_shows_an_unsafe_website_but_never_as_a_link(admin_client, value):
    org = OrganizationFactory(name_en="Perm Memorial")
    store_website(org, value)
    response = admin_client.get(reverse("admin:directory_organization_change", args=[org.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    schemes = {browser_scheme(url) for url in page_links(html).urls} - {None}
    assert schemes <= {"http", "https", "mailto", "tel"}, schemes
    assert 'class="url"' not in html  # no "Currently: <a ...>" line
    assert 'name="website"' in html  # the value stays editable, to be corrected


def test_the_admin_form_links_a_safe_website(admin_client):
    org = OrganizationFactory(name_en="Perm Memorial", website="https://perm.example.org/")
    response = admin_client.get(reverse("admin:directory_organization_change", args=[org.pk]))
    assert '<a href="https://perm.example.org/">' in response.content.decode()
