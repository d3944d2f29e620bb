"""Public visibility is decided in one place (directory/visibility.py).

Each test changes one rule there, and every public output follows it: the detail
page, the list, search, both exports and the sitemap.
"""

import json

import pytest
from django.core.cache import cache
from django.db.models import Q

from directory import visibility
from tests.factories import OrganizationFactory, PersonFactory, PhoneFactory, PublicationFactory
from tests.test_sitemap import all_locations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def outputs(client, q: str) -> dict[str, str]:
    """What a visitor reads of the organizations in every public output, as text."""
    return {
        "list": client.get("/en/organizations/").content.decode(),
        "search": client.get(f"/en/organizations/?q={q}").content.decode(),
        "csv": b"".join(client.get("/en/organizations/export.csv").streaming_content).decode(),
        "json": json.dumps(
            json.loads(b"".join(client.get("/en/organizations/export.json").streaming_content))
        ),
        "sitemap": " ".join(all_locations(client)),
    }


def test_the_published_rule_decides_every_output(client, monkeypatch):
    kept = OrganizationFactory(name_en="Kept group", slug="kept-group")
    hidden = OrganizationFactory(name_en="Withheld group", slug="withheld-group")
    person = PersonFactory(name_en="Withheld person", slug="withheld-person", is_published=True)
    book = PublicationFactory(title_en="Withheld book", slug="withheld-book", is_published=True)
    seen = outputs(client, "group")
    assert all("withheld-group" in text or "Withheld group" in text for text in seen.values())

    real = visibility.published
    # A new rule: nothing whose slug begins with "withheld" is public.
    monkeypatch.setattr(
        visibility,
        "published",
        lambda relation="": real(relation) & ~Q(**{f"{relation}slug__startswith": "withheld"}),
    )
    cache.clear()  # as a deployment of the new rule would
    seen = outputs(client, "group")
    for name, text in seen.items():
        assert "withheld" not in text.lower(), name
        assert "kept-group" in text or "Kept group" in text, name
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(kept.get_absolute_url()).status_code == 200
    assert client.get(person.get_absolute_url()).status_code == 404
    assert client.get(book.get_absolute_url()).status_code == 404


def test_the_contacts_rule_decides_every_output(client, monkeypatch):
    org = OrganizationFactory(
        name_en="Open group", email="open@example.org", address_en="1 Open Street"
    )
    PhoneFactory(organization=org, number="+7 095 111-22-33")
    contacts = ("open@example.org", "1 Open Street", "111-22-33")

    def shown(text):
        return [contact for contact in contacts if contact in text]

    page = client.get("/en/organizations/open-group/").content.decode()
    assert shown(page) == list(contacts)
    seen = outputs(client, "open")
    assert all(shown(seen[name]) == list(contacts) for name in ("csv", "json")), seen

    # A new rule: no organization's contacts are public.
    monkeypatch.setattr(visibility, "contacts_public", lambda organization="": Q(pk__in=[]))
    cache.clear()  # as a deployment of the new rule would
    assert shown(client.get("/en/organizations/open-group/").content.decode()) == []
    seen = outputs(client, "open")
    for name in ("csv", "json"):
        assert shown(seen[name]) == [], name
        assert "Open group" in seen[name]
    # The list cards (they show the email and phones, never the address).
    for name in ("list", "search"):
        assert shown(seen[name]) == [], name
