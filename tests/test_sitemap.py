"""sitemap.xml: an index of cached sections, published real entries only; robots.txt."""

import gzip
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from directory.models import Organization, Person
from publications.models import Publication
from sitedata import sitemaps
from sitedata.generator import generate_directory
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    PracticeFactory,
    PublicationFactory,
)
from tests.pages_data import ALL_MARKERS
from tests.test_settings import run_python

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
SECTIONS = [
    "pages", "organizations", "regions", "activities", "people", "publications", "practices",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def index_locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [entry.find("s:loc", NS).text for entry in root.findall("s:sitemap", NS)]


def section_urls(client, location: str) -> list[ET.Element]:
    response = client.get(location.removeprefix("http://testserver"))
    assert response.status_code == 200, location
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content).findall("s:url", NS)


def all_documents(client) -> list[bytes]:
    documents = [client.get("/sitemap.xml").content]
    for location in index_locations(client):
        documents.append(client.get(location.removeprefix("http://testserver")).content)
    return documents


def all_locations(client) -> list[str]:
    return [
        url.find("s:loc", NS).text
        for location in index_locations(client)
        for url in section_urls(client, location)
    ]


def test_the_index_names_one_document_per_section(client, world):
    assert index_locations(client) == [
        f"http://testserver/sitemap-{section}.xml" for section in SECTIONS
    ]


def test_the_sections_list_published_entries_in_both_languages(client, world):
    locs = all_locations(client)
    for language in ["ru", "en"]:
        base = f"http://testserver/{language}/"
        assert base in locs
        assert f"{base}organizations/moscow-helsinki-group/" in locs
        assert f"{base}organizations/group-at-risk/" in locs
        assert f"{base}people/lyudmila-alexeyeva/" in locs
        assert f"{base}publications/freedom-of-conscience/" in locs
        assert f"{base}regions/moscow-oblast/" in locs
        assert f"{base}activities/legal-defense/" in locs
        assert f"{base}practices/" in locs
        assert f"{base}practices/{world.practice.slug}/" in locs
    assert len(locs) == len(set(locs))
    # 5 published organizations, 1 person, 2 publications; drafts absent.
    assert sum("/ru/organizations/" in loc and loc.count("/") > 5 for loc in locs) == 5
    assert sum("/en/people/" in loc and loc.count("/") > 5 for loc in locs) == 1
    assert sum("/ru/publications/" in loc and loc.count("/") > 5 for loc in locs) == 2
    assert sum("/en/practices/" in loc and loc.count("/") > 5 for loc in locs) == 1


def test_every_url_has_hreflang_alternates(client, world):
    for location in index_locations(client):
        for url in section_urls(client, location):
            links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
            assert set(links) == {"ru", "en", "x-default"}
            assert url.find("s:loc", NS).text in (links["ru"], links["en"])


def test_never_drafts_restricted_contacts_or_demo_entries(client, world):
    demo_org = OrganizationFactory(slug="demoburg-memorial", name_en="Demo Perm", is_demo=True)
    demo_person = PersonFactory(slug="ivan-demov", is_published=True, is_demo=True)
    demo_book = PublicationFactory(slug="demo-report", is_published=True, is_demo=True)
    real = OrganizationFactory(slug="perm-memorial", name_en="Perm Memorial")
    # The flag decides, not an old slug convention.
    real_old_slug = PublicationFactory(slug="synthetic-but-real", is_published=True)
    draft_book = PublicationFactory(slug="draft-book", is_published=False)
    demo_practice = PracticeFactory(slug="demo-exchange", is_demo=True)
    documents = b"".join(all_documents(client)).decode()
    assert "/ru/organizations/perm-memorial/" in documents  # a real one is listed
    assert f"/en/publications/{real_old_slug.slug}/" in documents
    for absent in [
        *ALL_MARKERS,
        world.draft_org.slug,
        world.draft_person.slug,
        demo_org.slug,
        demo_person.slug,
        demo_book.slug,
        draft_book.slug,
        demo_practice.slug,
        world.draft_practice.slug,
    ]:
        assert absent not in documents, absent
    assert real.is_published


def test_no_generated_demo_page_is_listed_and_every_real_one_is(client):
    generate_directory(orgs=30, seed=3, people=10, publications=8)
    paths = {location.removeprefix("http://testserver") for location in all_locations(client)}
    for model in (Organization, Person, Publication):
        pages = {row.get_absolute_url() for row in model.objects.published().filter(is_demo=True)}
        assert pages and pages.isdisjoint(paths), model
        real = model.objects.published().filter(is_demo=False)
        with translation.override("en"):
            english = {row.get_absolute_url() for row in real}
        assert len(real) > 0 and english <= paths, model
    assert not [path for path in paths if "/synthetic-" in path]


@pytest.mark.parametrize("limit", [4, 3])
def test_a_section_is_split_into_pages_of_at_most_the_limit(client, world, monkeypatch, limit):
    """With an odd limit a page boundary falls between an item's two languages."""
    monkeypatch.setattr(sitemaps.BilingualSitemap, "limit", limit)
    for n in range(6):
        OrganizationFactory(slug=f"perm-group-{n}")
    expected = 2 * Organization.objects.filter(is_published=True).count()  # 22 URLs
    pages = -(-expected // limit)
    base = "http://testserver/sitemap-organizations.xml"
    locations = index_locations(client)
    assert [loc for loc in locations if loc.startswith(base)] == [base] + [
        f"{base}?p={page}" for page in range(2, pages + 1)
    ]
    listed = []
    for location in locations:
        urls = section_urls(client, location)
        assert 0 < len(urls) <= limit
        if location.startswith(base):
            listed += [url.find("s:loc", NS).text for url in urls]
    assert len(listed) == expected == len(set(listed))
    for n in range(6):
        for language in ["ru", "en"]:
            assert f"http://testserver/{language}/organizations/perm-group-{n}/" in listed
    assert client.get(f"/sitemap-organizations.xml?p={pages + 1}").status_code == 404


def test_the_real_limit_is_ten_thousand_urls():
    for section in sitemaps.SITEMAPS.values():
        assert section.limit == 10_000


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap-organizations.xml?p=0",
        "/sitemap-organizations.xml?p=2",
        "/sitemap-organizations.xml?p=abc",
        "/sitemap-organizations.xml?p=1e0",
        "/sitemap-organizations.xml?p=%00",
        "/sitemap-organizations.xml?p=-1",
        "/sitemap-organizations.xml?p=99999999999999999999",
        "/sitemap-drafts.xml",
        "/sitemap-.xml",
    ],
)
def test_a_page_or_section_that_does_not_exist_is_404(client, world, url):
    assert client.get(url).status_code == 404


def test_only_get_and_head(client, world):
    assert client.head("/sitemap.xml").status_code == 200
    assert client.post("/sitemap.xml").status_code == 405


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-organizations.xml"])
def test_conditional_get_answers_304_until_the_data_changes(client, world, path):
    first = client.get(path)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"')

    by_etag = client.get(path, headers={"If-None-Match": etag})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == etag
    by_date = client.get(path, headers={"If-Modified-Since": last_modified})
    assert by_date.status_code == 304
    assert by_date.content == b""

    # A new organization: a fresh document at once, never the cached one.
    OrganizationFactory(slug="perm-memorial")
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    if path != "/sitemap.xml":
        assertContains(changed, "/ru/organizations/perm-memorial/")


def test_a_draft_leaves_the_sitemap_as_soon_as_it_is_unpublished(client, world):
    assertContains(client.get("/sitemap-organizations.xml"), "moscow-helsinki-group")
    org = Organization.objects.get(slug="moscow-helsinki-group")
    org.is_published = False
    org.save()
    assertNotContains(client.get("/sitemap-organizations.xml"), "moscow-helsinki-group")


def test_a_cached_section_costs_one_query(client, world, django_assert_num_queries):
    first = client.get("/sitemap-organizations.xml")
    with django_assert_num_queries(1):  # the data version
        again = client.get("/sitemap-organizations.xml")
    assert again.content == first.content
    client.get("/sitemap.xml")
    with django_assert_num_queries(1):
        client.get("/sitemap.xml")


def test_gzip_for_clients_that_accept_it(client, world):
    plain = client.get("/sitemap-organizations.xml")
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    packed = client.get("/sitemap-organizations.xml", headers={"Accept-Encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert packed["ETag"] == plain["ETag"]


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assertContains(response, "Sitemap: http://testserver/sitemap.xml")
    disallowed = [
        line.split(": ", 1)[1]
        for line in response.content.decode().splitlines()
        if line.startswith("Disallow: ")
    ]
    for language in ["ru", "en"]:
        with translation.override(language):
            for name in [
                "directory:organization_export",
                "directory:person_export",
                "publications:publication_export",
                "directory:practice_export",
            ]:
                for fmt in ["csv", "json"]:
                    url = reverse(name, kwargs={"format": fmt})
                    assert any(url.startswith(prefix) for prefix in disallowed), url
            assert not any(reverse("directory:organization_list").startswith(p) for p in disallowed)
    assert disallowed[0] == "/i18n/"
    assertNotContains(response, "admin")
    assertNotContains(response, "<")


ROBOTS_WITH_ADMIN_URL = """
import json
import django
django.setup()
from django.test import Client
from django.urls import reverse
response = Client().get("/robots.txt")
print(json.dumps({
    "status": response.status_code,
    "robots": response.content.decode(),
    "admin": reverse("admin:index"),
}))
"""


def test_robots_txt_never_names_a_custom_admin_path():
    import json

    result = run_python(
        ROBOTS_WITH_ADMIN_URL,
        DJANGO_ADMIN_URL="staff-7f3a/",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["admin"] == "/staff-7f3a/"  # the setting took effect
    assert values["status"] == 200
    assert "Sitemap: http://testserver/sitemap.xml" in values["robots"]
    assert "staff-7f3a" not in values["robots"]
    assert "admin" not in values["robots"]


def _entries(xml: bytes | str) -> list[tuple]:
    root = ET.fromstring(xml)
    return [
        (
            url.find("s:loc", NS).text,
            getattr(url.find("s:lastmod", NS), "text", None),
            getattr(url.find("s:priority", NS), "text", None),
            [(link.get("hreflang"), link.get("href")) for link in url.findall("x:link", NS)],
        )
        for url in root.findall("s:url", NS)
    ]


def django_reference(sitemap) -> Sitemap:
    """The same section as Django's plain Sitemap would list it: model instances, reverse()."""
    if isinstance(sitemap, sitemaps.StaticPagesSitemap):
        return sitemap
    attributes = {
        "i18n": True,
        "alternates": True,
        "x_default": True,
        "priority": sitemap.priority,
        "items": lambda self: list(sitemap.queryset().order_by("pk")),
    }
    if sitemap.dated:
        attributes["lastmod"] = lambda self, obj: obj.updated_at
    return type("Reference", (Sitemap,), attributes)()


@pytest.mark.parametrize("section", SECTIONS)
def test_sections_are_what_djangos_own_sitemap_would_write(world, section):
    """The fast addresses and the direct XML match Django's own Sitemap and template."""
    OrganizationFactory(slug="perm-memorial", name_en="Perm & <Memorial>")
    sitemap = sitemaps.SITEMAPS[section]()
    ours = sitemap.get_urls(page=1, site=RequestSite(RequestFactory().get("/")), protocol="https")
    theirs = django_reference(sitemap).get_urls(
        page=1, site=RequestSite(RequestFactory().get("/")), protocol="https"
    )
    assert len(ours) > 0
    assert [{**url, "item": None} for url in ours] == [{**url, "item": None} for url in theirs]
    django_xml = render_to_string("sitemap.xml", {"urlset": theirs})
    assert _entries(sitemaps.urlset_xml(ours)) == _entries(django_xml)
