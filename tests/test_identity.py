"""The mark and the favicon: in static/, linked from every page, /favicon.ico answered."""

from pathlib import Path

import pytest
from django.conf import settings

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
