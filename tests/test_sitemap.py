"""sitemap.xml lists published pages in both languages; robots.txt points at it."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from tests.pages_data import ALL_MARKERS, build_world

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def world():
    return build_world()


def locations(response):
    root = ET.fromstring(response.content)
    return [url.find("s:loc", NS).text for url in root.findall("s:url", NS)]


def test_sitemap_lists_published_entries_in_both_languages(client, world):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    locs = locations(response)
    for language in ["ru", "en"]:
        base = f"http://testserver/{language}/"
        assert base in locs
        assert f"{base}organizations/moscow-helsinki-group/" in locs
        assert f"{base}organizations/group-at-risk/" in locs
        assert f"{base}people/lyudmila-alexeyeva/" in locs
        assert f"{base}publications/freedom-of-conscience/" in locs
        assert f"{base}regions/moscow-oblast/" in locs
        assert f"{base}activities/legal-defense/" in locs
    assert len(locs) == len(set(locs))
    # 5 published organizations, 1 person, 2 publications; drafts absent.
    assert sum("/ru/organizations/" in loc and loc.count("/") > 5 for loc in locs) == 5
    assert sum("/en/people/" in loc and loc.count("/") > 5 for loc in locs) == 1
    assert sum("/ru/publications/" in loc and loc.count("/") > 5 for loc in locs) == 2


def test_sitemap_has_hreflang_alternates(client, world):
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    for url in root.findall("s:url", NS):
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
        assert set(links) == {"ru", "en", "x-default"}
        assert url.find("s:loc", NS).text in (links["ru"], links["en"])


def test_sitemap_never_shows_drafts_or_restricted_contacts(client, world):
    response = client.get("/sitemap.xml")
    for marker in ALL_MARKERS:
        assertNotContains(response, marker)
    assertNotContains(response, world.draft_org.slug)
    assertNotContains(response, world.draft_person.slug)


def test_robots_txt(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assertContains(response, "Sitemap: http://testserver/sitemap.xml")
    assertContains(response, f"Disallow: /{settings.ADMIN_URL}\n")
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
            ]:
                for fmt in ["csv", "json"]:
                    url = reverse(name, kwargs={"format": fmt})
                    assert any(url.startswith(prefix) for prefix in disallowed), url
            assert not any(reverse("directory:organization_list").startswith(p) for p in disallowed)
    assertNotContains(response, "<")
