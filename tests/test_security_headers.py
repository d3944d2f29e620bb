"""Content-Security-Policy and Permissions-Policy on every kind of response."""

import re

import pytest
from django.test import Client, override_settings

from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

DIRECTIVES = {
    "default-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"]


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        name: value.strip()
        for name, _space, value in (part.strip().partition(" ") for part in header.split(";"))
    }


def assert_headers(response) -> dict[str, str]:
    directives = policy(response)
    for name, value in DIRECTIVES.items():
        assert directives[name] == value, (name, directives)
    script = directives["script-src"].split()
    assert script[0] == "'self'"
    assert all(source.startswith("'nonce-") for source in script[1:]), script
    assert "unsafe" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in DENIED:
        assert f"{feature}=()" in permissions
    return directives


@pytest.mark.parametrize(
    "url, status",
    [
        ("/ru/", 200),
        ("/en/organizations/?kind=group", 200),
        ("/en/about/", 200),
        ("/ru/no-such-page/", 404),
        ("/robots.txt", 200),
        ("/admin/login/", 200),
        ("/admin/", 302),
        ("/ru/organizations/export.csv", 200),
    ],
)
def test_every_response_carries_both_policies(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_headers(response)


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-organizations.xml"])
def test_the_sitemap_xml_allows_no_script_at_all(client, url):
    """Only a browser's own XML viewer may style it (inline style, data: images)."""
    response = client.get(url)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'none'"
    assert directives["style-src"] == "'unsafe-inline'"
    assert directives["img-src"] == "data:"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.urls("tests.broken_urls")
def test_a_server_error_page_carries_them_too(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert b"Server error" in response.content  # templates/500.html
    assert_headers(response)


def test_the_json_ld_block_carries_the_nonce_of_its_response(client):
    org = OrganizationFactory()
    nonces = set()
    for _ in range(2):
        response = client.get(org.get_absolute_url())
        directives = assert_headers(response)
        (nonce,) = re.findall(r"'nonce-([^']+)'", directives["script-src"])
        html = response.content.decode()
        assert f'<script type="application/ld+json" nonce="{nonce}">' in html
        # Nothing else is inline: every other script is a file of this site.
        assert len(re.findall(r"<script(?![^>]*\bsrc=)", html)) == 1
        assert " style=" not in html
        nonces.add(nonce)
    assert len(nonces) == 2  # a fresh nonce per response


def test_a_page_without_inline_script_gets_no_nonce(client):
    directives = assert_headers(client.get("/ru/"))
    assert directives["script-src"] == "'self'"


def test_static_files_served_by_whitenoise_carry_them(settings):
    # A new client loads the middleware again, with WhiteNoise serving from the finders.
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        response = Client().get("/static/css/site.css")
        assert response.status_code == 200
        assert response.streaming  # WhiteNoise's own response, not a Django view
        directives = policy(response)
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert "camera=()" in response["Permissions-Policy"]
        response.close()


def test_the_admin_pages_have_no_inline_style_or_script(admin_client):
    org = OrganizationFactory()
    for url in [
        "/admin/",
        f"/admin/directory/organization/{org.pk}/change/",
        f"/admin/directory/organization/{org.pk}/history/",
        "/admin/directory/organization/import/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert " style=" not in html, url
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == [], url
        assert_headers(response)
