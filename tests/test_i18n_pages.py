"""Both languages on every page: lang attributes, switcher, alternates, redirects, errors."""

import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import path
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from rightsnet.context_processors import url_in_language
from rightsnet.urls import urlpatterns as site_urlpatterns
from tests.factories import OrganizationFactory
from tests.pages_data import ALL_MARKERS, public_urls

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LINK_RE = r'<link rel="alternate" hreflang="{code}" href="http://testserver{url}">'


def boom(request):
    raise RuntimeError("a bug")


# Served by this module for the 500 test: the whole site plus a view that fails.
urlpatterns = [path("boom/", boom), *site_urlpatterns]


class VisibleText(HTMLParser):
    """Text a reader sees in <body>, leaving out elements in another language."""

    SKIP = {"script", "style", "head"}
    VOID = {"br", "img", "input", "link", "meta", "hr", "wbr", "source", "area", "col"}

    def __init__(self, language):
        super().__init__()
        self.language = language
        self.stack = []  # (tag, hidden)
        self.chunks = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        hidden = bool(self.stack and self.stack[-1][1])
        lang = attrs.get("lang")
        if tag in self.SKIP or (lang and lang.split("-")[0] != self.language and tag != "html"):
            hidden = True
        self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.chunks.append(data)

    def text(self):
        return " ".join(" ".join(self.chunks).split())


def visible_text(response, language):
    parser = VisibleText(language)
    parser.feed(response.content.decode())
    return parser.text()


def english_interface_strings():
    """Source strings whose Russian differs: none may appear on a Russian page."""
    po = polib.pofile(str(settings.BASE_DIR / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    strings = set()
    for entry in po:
        if entry.obsolete or entry.fuzzy or entry.msgctxt or entry.msgid_plural:
            continue
        if "%(" in entry.msgid:
            continue
        if len(entry.msgid) >= 5 and entry.msgstr and entry.msgstr != entry.msgid:
            strings.add(entry.msgid)
    return strings


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_page_declares_its_language_title_and_alternates(client, world, language):
    other = "en" if language == "ru" else "ru"
    for url in public_urls(world, language):
        response = client.get(url)
        assert response.status_code == 200, url
        assertContains(response, f'<html lang="{language}">', msg_prefix=url)
        title = re.search(r"<title>(.+?) · rightsnet</title>", response.content.decode())
        assert title and title.group(1).strip(), url
        other_url = f"/{other}/" + url[len(f"/{language}/") :]
        assertContains(response, f'<link rel="canonical" href="http://testserver{url}">')
        assertContains(response, LINK_RE.format(code=language, url=url), msg_prefix=url)
        assertContains(response, LINK_RE.format(code=other, url=other_url), msg_prefix=url)
        x_default = "/" + url[len(f"/{language}/") :]
        assertContains(response, LINK_RE.format(code="x-default", url=x_default))
        # The switcher goes to the same page in the other language.
        assertContains(
            response, f'<a href="{other_url}" hreflang="{other}" lang="{other}" rel="alternate">'
        )


def test_no_english_interface_string_on_a_russian_page(client, world):
    strings = english_interface_strings()
    assert (
        "Skip to content" in strings and "Groups in the same region doing similar work" in strings
    )
    for url in public_urls(world, "ru"):
        text = visible_text(client.get(url), "ru")
        leaked = [s for s in strings if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]
        assert leaked == [], url


def test_no_russian_on_an_english_page_outside_marked_content(client, world):
    for url in public_urls(world, "en"):
        text = visible_text(client.get(url), "en")
        assert not CYRILLIC.search(text), f"{url}: {CYRILLIC.search(text) and text}"


def test_content_in_the_other_language_is_marked(client):
    org = OrganizationFactory(name_ru="", name_en="Only English Name", description_en="Text")
    with translation.override("ru"):
        url = org.get_absolute_url()
    response = client.get(url)
    assertContains(
        response,
        '<h1><span lang="en">Only English Name</span> '
        '<small class="fallback-note">(на английском)</small></h1>',
        html=True,
    )
    assertContains(response, '<span lang="en">Text</span>')


def test_switcher_keeps_the_query_string(client, world):
    with translation.override("ru"):
        url = world.moscow_oblast.get_absolute_url()
    response = client.get(url + "?region=moscow-oblast&activity=legal-defense&activity=monitoring")
    assertContains(
        response,
        'href="/en/regions/moscow-oblast/?region=moscow-oblast&amp;activity=legal-defense'
        '&amp;activity=monitoring"',
    )
    assertContains(
        response,
        '<link rel="canonical" href="http://testserver/ru/regions/moscow-oblast/'
        '?region=moscow-oblast&amp;activity=legal-defense&amp;activity=monitoring">',
    )


def test_url_in_language_for_the_filtered_list_and_unknown_pages():
    query = "?q=%D0%BC%D0%B5%D0%BC&region=russia&activity=a&activity=b&page=2"
    assert url_in_language("/ru/organizations/" + query, "en") == "/en/organizations/" + query
    assert url_in_language("/en/organizations/" + query, "ru") == "/ru/organizations/" + query
    assert url_in_language("/en/no/such/page/?x=1", "ru") == "/ru/no/such/page/?x=1"


def test_context_processor_without_request():
    from rightsnet.context_processors import alternates

    assert alternates(None) == {}
    request = RequestFactory().get("/en/about/")
    with translation.override("en"):
        context = alternates(request)
    assert context["canonical_url"] == "http://testserver/en/about/"
    assert [link["code"] for link in context["other_language_links"]] == ["ru"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("en-US,en;q=0.9", "/en/"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "/ru/"),
        ("de-DE,de;q=0.9,en;q=0.5", "/en/"),
        ("fr-FR", "/ru/"),
        ("", "/ru/"),
    ],
)
def test_root_redirects_by_accept_language(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_unprefixed_page_redirects_by_accept_language(client, world):
    response = client.get("/regions/?x=1", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/en/regions/?x=1"


@pytest.mark.parametrize("language", ["ru", "en"])
def test_404_is_bilingual(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assertContains(response, f'<html lang="{language}">', status_code=404)
    text_ru = "Страница не найдена"
    text_en = "Page not found"
    assertContains(response, text_ru, status_code=404)
    assertContains(response, text_en, status_code=404)
    other = "en" if language == "ru" else "ru"
    assertContains(response, f'<div lang="{other}" class="other-language">', status_code=404)
    assertContains(response, f'href="/{other}/no-such-page/"', status_code=404)


def test_draft_gives_the_bilingual_404(client, world):
    response = client.get(world.draft_org.get_absolute_url())
    assertContains(response, "Page not found", status_code=404)
    assertNotContains(response, world.draft_org.name_ru, status_code=404)


@pytest.mark.urls(__name__)
def test_500_is_bilingual(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assertContains(response, "Ошибка сервера", status_code=500)
    assertContains(response, '<div lang="en" class="other-language">', status_code=500)
    assertContains(response, "Server error", status_code=500)
    assertNotContains(response, "a bug", status_code=500)


@pytest.mark.parametrize(
    "path",
    [
        "organizations/?q=%D0%BC%D0%BE%D1%81%D0%BA&region=russia&activity=legal-defense"
        "&activity=monitoring&sort=name",
        "people/?region=moscow-oblast",
        "publications/?series=legal-culture&topic=legal-defense",
    ],
)
def test_switcher_on_the_filtered_lists_keeps_every_filter(client, world, path):
    response = client.get(f"/ru/{path}")
    assert response.status_code == 200
    escaped = path.replace("&", "&amp;")
    assertContains(response, f'<a href="/en/{escaped}" hreflang="en" lang="en" rel="alternate">')
    assertContains(response, LINK_RE.format(code="en", url=f"/en/{escaped}"))
    assertContains(response, LINK_RE.format(code="x-default", url=f"/{escaped}"))
    for marker in ALL_MARKERS:
        assertNotContains(response, marker)
