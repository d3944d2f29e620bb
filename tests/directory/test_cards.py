"""The organizations list's cards: tap-to-call for phones (never a fax), mailto for a
public email, no links for historical contacts, nothing of restricted ones, and the status
with its label, in both languages (cards come from cached HTML: per language)."""

import datetime

import pytest
from django.utils import timezone

from directory.models import Organization
from tests.factories import OrganizationFactory, PhoneFactory
from tests.html import page

pytestmark = pytest.mark.django_db

NAMES = {"ru": "Группа наблюдения", "en": "Watch Group"}


def watch_group(**kwargs):
    """An organization with a telephone, a fax and an email."""
    org = OrganizationFactory(
        name_en=NAMES["en"], name_ru=NAMES["ru"], email="office@watch.example.org", **kwargs
    )
    PhoneFactory(organization=org, number="+7 095 206-81-71", kind="tel")
    PhoneFactory(organization=org, number="+7 095 921-12-09", kind="fax")
    return org


def card(client, language):
    response = client.get(f"/{language}/organizations/")
    assert response.status_code == 200
    found = [
        li for li in page(response).find_all("li", class_="result") if NAMES[language] in li.text
    ]
    assert len(found) == 1
    return found[0]


def hrefs(element) -> list[str]:
    return [a["href"] for a in element.find_all("a")]


def contact_links(element) -> list[str]:
    return [href for href in hrefs(element) if href.startswith(("tel:", "mailto:"))]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_phone_is_tap_to_call_fax_is_not_and_public_email_is_mailto(client, language):
    watch_group()
    shown = card(client, language)
    assert "+7 095 921-12-09" in shown.text
    assert contact_links(shown) == ["tel:+70952068171", "mailto:office@watch.example.org"]
    label = {"ru": "факс", "en": "fax"}[language]
    assert f"{label} +7 095 921-12-09" in shown.text


@pytest.mark.parametrize("language", ["ru", "en"])
def test_restricted_contacts_never_show(client, language):
    watch_group(contacts_public=False)
    shown = card(client, language)
    for hidden in ("office@watch.example.org", "206-81-71", "921-12-09"):
        assert hidden not in shown.text
    assert contact_links(shown) == []
    assert "mailto:" not in client.get(f"/{language}/organizations/").content.decode()


@pytest.mark.parametrize("language", ["ru", "en"])
def test_stale_contacts_are_shown_without_links(client, language):
    watch_group(contacts_as_of=datetime.date(1997, 1, 1), contacts_as_of_precision="month")
    shown = card(client, language)
    assert "+7 095 206-81-71" in shown.text and "office@watch.example.org" in shown.text
    assert contact_links(shown) == []
    assert shown.find("p", class_="historical") is not None


def test_current_contacts_date_is_for_print_only(client):
    last_year = timezone.localdate().replace(month=1, day=1) - datetime.timedelta(days=1)
    watch_group(contacts_as_of=last_year, contacts_as_of_precision="year")
    shown = card(client, "en")
    assert contact_links(shown) == ["tel:+70952068171", "mailto:office@watch.example.org"]
    printed = shown.find("span", class_="print-only")
    assert printed.text.strip(" ·") == f"as of {last_year.year}"
    assert not shown.find_all("span", class_="contacts-as-of")


@pytest.mark.parametrize(
    ("status", "language", "label"),
    [
        (Organization.Status.UNKNOWN, "ru", "статус: неизвестен"),
        (Organization.Status.UNKNOWN, "en", "status: unknown"),
        (Organization.Status.INACTIVE, "ru", "статус: не действует"),
        (Organization.Status.INACTIVE, "en", "status: inactive"),
    ],
)
def test_status_is_named_with_its_label(client, status, language, label):
    watch_group(status=status)
    meta = card(client, language).find("p", class_="meta")
    assert meta.find("span", class_=f"status-{status}").text == label


def test_active_status_goes_without_saying(client):
    watch_group()
    for language in ("ru", "en"):
        shown = card(client, language)
        assert shown.find("p", class_="meta").find_all("span") == []
        assert {"ru": "статус", "en": "status"}[language] not in shown.text


def test_a_card_names_the_telephone_and_mobile_before_the_fax(client):
    org = watch_group()
    PhoneFactory(organization=org, number="+7 916 000-00-01", kind="mobile")
    shown = card(client, "en")
    assert "921-12-09" not in shown.text  # two numbers a card: the fax comes third
    assert contact_links(shown) == [
        "tel:+70952068171",
        "tel:+79160000001",
        "mailto:office@watch.example.org",
    ]
