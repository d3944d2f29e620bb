"""Demo entries (``is_demo``) say so: a badge on cards and pages, and no indexing."""

import pytest
from django.utils import translation

from tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
    PublicationFactory,
    RegionFactory,
)
from tests.html import page

pytestmark = pytest.mark.django_db

LABEL = {"ru": "Демо", "en": "Demo"}
NOTE = {
    "ru": "Демонстрационные данные: вымышленная запись, а не настоящая организация, "
    "человек или издание.",
    "en": "Demonstration data: an invented entry, not a real organization, person or publication.",
}
LISTS = ("organizations", "people", "publications")


@pytest.fixture
def entries():
    """A demo and a real entry of each kind, published, in one region."""
    region = RegionFactory(slug="demo-test-region")
    demo_org = OrganizationFactory(
        name_en="Human Rights Centre of Demograd",
        name_ru="Правозащитный центр г. Демограда",
        region=region,
        is_demo=True,
    )
    real_org = OrganizationFactory(
        name_en="Perm Memorial", name_ru="Пермский Мемориал", region=region
    )
    PhoneFactory(organization=demo_org, number="+7 000 123-45-67")
    demo_person = PersonFactory(
        name_en="Anna Demogradova", name_ru="Анна Демоградова", is_demo=True
    )
    real_person = PersonFactory(name_en="Yana Example", name_ru="Яна Пример")
    AffiliationFactory(person=demo_person, organization=demo_org)
    demo_book = PublicationFactory(
        title_en="Monitoring in Demograd: A Report",
        title_ru="Мониторинг в Демограде: доклад",
        publisher=demo_org,
        is_demo=True,
    )
    real_book = PublicationFactory(title_en="A Real Report", title_ru="Настоящий доклад")
    return {
        "organizations": (demo_org, real_org),
        "people": (demo_person, real_person),
        "publications": (demo_book, real_book),
    }


def url(language, entry):
    with translation.override(language):
        return entry.get_absolute_url()


def card(document, entry_url):
    """The list item whose heading links to ``entry_url``."""
    found = [
        item
        for item in document.find_all("li", class_="result")
        if item.find("h2").find("a")["href"] == entry_url
    ]
    assert len(found) == 1, entry_url
    return found[0]


def assert_badge(element, language):
    badges = element.find_all("span", class_="badge-demo")
    assert len(badges) == 1
    assert badges[0].text == LABEL[language]
    assert "badge" in badges[0]["class"].split()
    return badges[0]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("kind", LISTS)
def test_a_demo_card_carries_the_badge_and_a_real_one_does_not(client, entries, language, kind):
    demo, real = entries[kind]
    document = page(client.get(f"/{language}/{kind}/"))

    demo_card = card(document, url(language, demo))
    badge = assert_badge(demo_card.find("h2"), language)
    # Said in full to a mouse (a tooltip) and to a screen reader (hidden text).
    assert badge["title"] == NOTE[language]
    hidden = demo_card.find("h2").find("span", class_="visually-hidden")
    assert hidden.text == f"({NOTE[language]})"

    real_card = card(document, url(language, real))
    assert real_card.find_all("span", class_="badge-demo") == []
    assert NOTE[language] not in real_card.text


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("kind", LISTS)
def test_a_demo_page_says_so_and_is_not_indexed(client, entries, language, kind):
    demo, real = entries[kind]
    document = page(client.get(url(language, demo)))

    entry = document.find("article", class_="entry")
    note = entry.find("p", class_="demo-entry")
    assert_badge(note, language)
    assert note.text == f"{LABEL[language]} {NOTE[language]}"
    robots = document.find("head").find_all("meta", name="robots")
    assert [meta["content"] for meta in robots] == ["noindex"]

    document = page(client.get(url(language, real)))
    assert document.find_all("span", class_="badge-demo") == []
    assert document.find_all("p", class_="demo-entry") == []
    assert document.find("head").find_all("meta", name="robots") == []


def test_pages_linking_a_demo_organization_badge_it(client, entries):
    demo_org, real_org = entries["organizations"]
    region_page = page(client.get("/en/regions/demo-test-region/"))
    items = {item.find("a").text: item for item in region_page.find_all("li", class_="org-item")}
    assert_badge(items["Human Rights Centre of Demograd"], "en")
    assert items["Perm Memorial"].find_all("span", class_="badge-demo") == []


@pytest.mark.parametrize("demo", [False, True])
def test_the_badge_costs_the_organization_list_no_query(client, django_assert_num_queries, demo):
    region = RegionFactory(slug="demo-count-region")
    for n in range(60):
        org = OrganizationFactory(name_en=f"Group {n:02}", region=region, is_demo=demo)
        PhoneFactory(organization=org)
    # The data version, regions, types of work, four facet counts (the decade founded
    # counts in a query of its own), the designated organizations (the designation facet)
    # and the page's ids, then the page's rows (the flag read with them), their types of
    # work and phones.
    with django_assert_num_queries(12):
        response = client.get("/en/organizations/?region=demo-count-region")
    badges = page(response).find_all("span", class_="badge-demo")
    assert len(badges) == (50 if demo else 0)
