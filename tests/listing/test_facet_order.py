"""Facet options in label order in the page's language (Russian collation: «ё» with
«е», case ignored, Cyrillic first on /ru/), collapsible facets showing their chosen
values, and long facets with "Show all"."""

import pytest

from directory import freshness
from rightsnet.text import _collation_key, collation_key
from tests.factories import (
    ActivityTypeFactory,
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.html import page

pytestmark = pytest.mark.django_db


def labels(response, facet: str) -> list[str]:
    fieldset = page(response).find("fieldset", id=f"facet-{facet}")
    return [item.find("label").text.strip() for item in fieldset.find_all("li")]


def test_collation_key_sorts_yo_with_ye_case_blind_and_cyrillic_first_in_russian():
    words = ["Жуков", "ёлкино", "Елань", "alpha", "Émile", "Zeta", "«Йошкар»", "Иваново"]
    assert sorted(words, key=lambda w: collation_key(w, "ru")) == [
        "Елань", "ёлкино", "Жуков", "Иваново", "«Йошкар»", "alpha", "Émile", "Zeta",
    ]  # fmt: skip
    assert sorted(words, key=lambda w: collation_key(w, "en"))[:3] == ["alpha", "Émile", "Zeta"]


def test_the_kept_keys_are_the_keys_computed_afresh():
    words = ["Жуков", "ёлкино", "Елань", "alpha", "Émile", "«Йошкар»", "Ёлкино"]
    for language in ("ru", "en"):
        kept = [collation_key(word, language) for word in words + words]
        fresh = [_collation_key.__wrapped__(word, language == "ru") for word in words + words]
        assert kept == fresh


def test_types_of_work_are_in_label_order_in_each_language(client):
    for name_ru, name_en in (("Жуков", "Zhukov"), ("Ёлкино", "Yolkino"), ("Елань", "Elan")):
        activity = ActivityTypeFactory(name_ru=name_ru, name_en=name_en)
        OrganizationFactory(activities=[activity])
    freshness.bump()
    assert labels(client.get("/ru/organizations/"), "activity") == ["Елань", "Ёлкино", "Жуков"]
    assert labels(client.get("/en/organizations/"), "activity") == ["Elan", "Yolkino", "Zhukov"]


def test_the_people_organization_facet_is_in_the_order_of_its_russian_names(client):
    names = [("Яблоко", "Apple"), ("Ёж", "Hedgehog"), ("Астра", "Zenith")]
    for i, (name_ru, name_en) in enumerate(names):
        organization = OrganizationFactory(name_ru=name_ru, name_en=name_en)
        for _ in range(i + 1):  # different counts: the order is not by count
            AffiliationFactory(person=PersonFactory(is_published=True), organization=organization)
    freshness.bump()
    assert labels(client.get("/ru/people/"), "organization") == ["Астра", "Ёж", "Яблоко"]
    assert labels(client.get("/en/people/"), "organization") == ["Apple", "Hedgehog", "Zenith"]


def test_a_long_facet_shows_its_top_options_and_the_rest_behind_show_all(client):
    activities = [
        ActivityTypeFactory(name_en=f"Work {i:02}", name_ru=f"Работа {i:02}", slug=f"work-{i:02}")
        for i in range(12)
    ]
    for i, activity in enumerate(activities):
        for _ in range(12 - i):  # Work 00 has the most rows, Work 11 the fewest
            OrganizationFactory(activities=[activity])
    freshness.bump()
    response = client.get("/en/organizations/?activity=work-11")
    fieldset = page(response).find("fieldset", id="facet-activity")
    more = fieldset.find("details", class_="facet-more")
    assert more.find("summary").text == "Show all 12"
    hidden = [item.find("label").text.strip() for item in more.find_all("li")]
    everything = labels(response, "activity")
    top = [label for label in everything if label not in hidden]
    # The selected one and those with the most rows, in label order; each option once.
    assert top == ["Work 00", "Work 01", "Work 02", "Work 03", "Work 04", "Work 05", "Work 06",
                   "Work 11"]  # fmt: skip
    assert hidden == ["Work 07", "Work 08", "Work 09", "Work 10"]
    values = [box["value"] for box in fieldset.find_all("input", type="checkbox")]
    assert sorted(values) == [f"work-{i:02}" for i in range(12)]
    # The facet is a <details>, open, whose summary names the chosen value.
    box = fieldset.find("details", class_="facet-box")
    assert "open" in box.attrs
    summary = box.child("summary")
    assert summary.find("span", class_="facet-title").text == "Type of work"
    assert summary.find("span", class_="facet-chosen").text.split() == [":", "Work", "11"]
    russian = page(client.get("/ru/organizations/?activity=work-11"))
    summary = russian.find("fieldset", id="facet-activity").find("details", class_="facet-more")
    assert summary.find("summary").text == "Показать все: 12"


def test_option_and_chip_links_land_at_the_result_count(client):
    OrganizationFactory(activities=[ActivityTypeFactory(slug="monitoring")])
    freshness.bump()
    doc = page(client.get("/en/organizations/?activity=monitoring"))
    assert doc.find("p", id="result-count")
    option = doc.find("fieldset", id="facet-activity").find("li").find("a")
    assert option["href"] == "?#result-count"
    chip = doc.find("ul", class_="chips").find("a")
    assert chip["href"] == "?#result-count"
