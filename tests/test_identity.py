"""The mark and the favicon: in static/, linked from every page, /favicon.ico answered."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from sitedata.services import load_sample_data
from tests.html import page

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"


def test_mark_and_favicon_are_svg_without_text():
    for path in (STATIC / "img" / "mark.svg", STATIC / "favicon.svg"):
        svg = path.read_text()
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        assert "<text" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize("language", ["ru", "en"])
def test_pages_link_the_favicon_and_show_the_mark(client, language):
    html = client.get(f"/{language}/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<img src="/static/img/mark.svg" alt=""' in html


def test_favicon_ico_redirects_to_the_svg(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"


@pytest.fixture
def sample_data(db):
    load_sample_data()


# The budget: the CSS a public page loads, in all.
CSS_BUDGET = 30 * 1024


@pytest.mark.parametrize(
    "path",
    ["/ru/", "/en/organizations/?q=a", "/ru/organizations/moscow-helsinki-group/", "/en/about/"],
)
def test_pages_load_only_our_own_files_and_css_within_the_budget(client, path, sample_data):
    html = page(client.get(path, follow=True))
    stylesheets = [link["href"] for link in html.find_all("link", rel="stylesheet")]
    files = stylesheets + [s.attrs["src"] for s in html.find_all("script") if "src" in s.attrs]
    files += [image["src"] for image in html.find_all("img")]
    assert stylesheets and all(href.startswith(settings.STATIC_URL) for href in files), files
    css = sum(
        len(Path(finders.find(href.removeprefix(settings.STATIC_URL))).read_bytes())
        for href in stylesheets
    )
    print(f"{path}: CSS {css} bytes")
    assert css < CSS_BUDGET
