"""Every search example the site shows works on the sample data.

An example is a link to a list page with a search (`?q=`), marked `data-search-example`
and carrying in `data-finds` the address of the entry it claims to find (the
`search_example` template tag writes them). The test reads the pages a visitor reads,
follows every such link and looks for the claimed entry among the results, in both
languages; where the sentence around an example names what it finds, the name must be
the one the results show. A new example on any of these pages is tested with no change
here, and a template holding examples that none of these pages renders fails the test.
"""

from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from directory.templatetags.rightsnet import search_example
from sitedata.services import load_sample_data
from tests.html import Element, page

pytestmark = pytest.mark.django_db

LANGUAGES = ("ru", "en")
# The pages a visitor meets before searching: home, about, and every list page.
PAGES = (
    "directory:home",
    "directory:about",
    "directory:organization_list",
    "directory:region_list",
    "directory:activity_list",
    "directory:person_list",
    "publications:publication_list",
)
LIST_PAGES = {"organization_list", "person_list", "publication_list"}
BLOCKS = {"p", "li", "dd", "td", "figcaption"}
# A bare list of examples ("For example: Helsinki, HRW") names no result.
BARE_LIST_CLASS = "search-examples"


@pytest.fixture
def sample(db):
    load_sample_data()


def page_urls(language):
    with translation.override(language):
        return [reverse(name) for name in PAGES]


def is_search_link(href: str) -> bool:
    parts = urlsplit(href or "")
    if parts.netloc or not parts.query or "q" not in parse_qs(parts.query):
        return False
    try:
        return resolve(parts.path).url_name in LIST_PAGES
    except Resolver404:
        return False


def examples(root: Element, block: Element | None = None):
    """(link, its nearest enclosing block) for every search link, in document order."""
    found = []
    for element in root.elements():
        if element.tag == "a" and (
            "data-search-example" in element.attrs or is_search_link(element.attrs.get("href"))
        ):
            found.append((element, block))
        found += examples(element, element if element.tag in BLOCKS else block)
    return found


def results(client, url) -> dict[str, str]:
    """{address: name} of the entries a search lists (first page), in order."""
    response = client.get(url)
    assert response.status_code == 200, url
    lists = page(response).find_all("ol", class_="result-list")
    if not lists:
        return {}
    return {item.find("a")["href"]: item.find("a").text for item in lists[0].items()}


def examples_on_pages(client, language):
    rendered = set()
    found = []
    for url in page_urls(language):
        response = client.get(url)
        assert response.status_code == 200, url
        rendered.update(template.name for template in response.templates if template.name)
        found += [(url, link, block) for link, block in examples(page(response))]
    return found, rendered


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_search_example_finds_what_it_claims(client, sample, language):
    found, _rendered = examples_on_pages(client, language)

    pages_with_examples = {url for url, _link, _block in found}
    with translation.override(language):
        assert {reverse("directory:home"), reverse("directory:about")} <= pages_with_examples
    assert len(found) >= 6
    for url, link, block in found:
        where = f"{url}: {link['href']}"
        assert "data-search-example" in link.attrs, f"{where} is not marked as an example"
        claimed = link.attrs.get("data-finds")
        assert claimed and claimed.startswith(f"/{language}/"), f"{where} claims nothing"
        shown = results(client, link["href"])
        assert claimed in shown, f"{where} should find {claimed}, finds {list(shown)}"
        if block is not None and BARE_LIST_CLASS not in (block.attrs.get("class") or "").split():
            assert shown[claimed] in block.text, f"{where}: «{block.text}» names another result"


def test_a_search_example_that_finds_nothing_fails_the_check(client, sample):
    """The check above can fail: an example claiming an entry its search misses."""
    with translation.override("en"):
        link = page_of(search_example("Memorial", "moscow-helsinki-group")).find("a")
        assert "data-search-example" in link.attrs
        assert link["data-finds"] == "/en/organizations/moscow-helsinki-group/"
        assert link["data-finds"] not in results(client, link["href"])
        good = page_of(search_example("Helsinki", "moscow-helsinki-group")).find("a")
        assert good["data-finds"] in results(client, good["href"])


def page_of(html: str) -> Element:
    return page(SimpleNamespace(content=html.encode()))


def test_every_template_with_examples_is_on_a_checked_page(client, sample):
    holders = {
        str(path.relative_to(settings.BASE_DIR / "templates"))
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        if "search_example" in (text := path.read_text(encoding="utf-8"))
        or "data-search-example" in text
        or "?q=" in text
    }
    rendered = set()
    for language in LANGUAGES:
        rendered |= examples_on_pages(client, language)[1]

    assert {"directory/home.html", "directory/about.html"} <= holders
    assert holders - rendered == set()
