"""Printing: an organization's page and a filtered list print like a handbook page.

Chromium prints to PDF (``page.pdf()``) and ``pdftotext`` (poppler-utils) reads it back:
the contact details, their as-of date, the page's own address and the outside addresses
are on paper; the navigation, the filters, the forms and the footer are not.
"""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from directory.models import Organization
from tests.pages_data import ALL_MARKERS

pytestmark = pytest.mark.browser

# The navigation as it would print, and the controls and footer links.
SCREEN_ONLY = {
    "en": [
        "Organizations Regions Types of work People Publications", "Skip to content",
        "Русский", "Search", "Apply filters", "Suggest a correction",
        "About rightsnet and how to correct an entry",
    ],
    "ru": [
        "Организации Регионы Направления работы Люди Публикации", "Перейти к содержанию",
        "English", "Найти", "Применить фильтры", "Предложить исправление",
        "О rightsnet и о том, как исправить запись",
    ],
}  # fmt: skip


def printed_text(page, tmp_path) -> str:
    """The page printed to an A4 PDF by Chromium, as text."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("The print tests need pdftotext: apt-get install poppler-utils", pytrace=False)
    pdf = tmp_path / "printed.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4")
    result = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True)
    # pdftotext breaks long lines; the tests read words and addresses, not the layout.
    return " ".join(result.stdout.split())


@pytest.fixture
def dated_world(live_world):
    """The shared world, its Moscow Helsinki Group's contacts dated last month."""
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    Organization.objects.filter(name_en="Moscow Helsinki Group").update(
        contacts_as_of=last_month, contacts_as_of_precision="month"
    )
    return last_month


@pytest.mark.parametrize("language", ["ru", "en"])
def test_an_organization_prints_its_contacts_and_addresses(
    page, dated_world, tmp_path, live_server, language
):
    path = f"/{language}/organizations/moscow-helsinki-group/"
    page.goto(path)
    text = printed_text(page, tmp_path)
    name = {"ru": "Московская Хельсинкская группа", "en": "Moscow Helsinki Group"}[language]
    assert name in text
    for detail in ("+7 095 206-81-71", "+7 095 921-12-09", "mhg@example.org", "101000"):
        assert detail in text
    as_of = {"ru": "по состоянию на", "en": f"as of {dated_world:%B %Y}"}[language]
    assert as_of in text
    printed_from = {"ru": "Напечатано с", "en": "Printed from"}[language]
    assert f"{printed_from} {live_server.url}{path}" in text
    assert text.count(f"{live_server.url}{path}") == 1
    # The website's link shows its own address once; no control or navigation is printed.
    assert text.count("https://mhg.example.org/") == 1
    for label in SCREEN_ONLY[language]:
        assert label not in text, label
    for marker in ALL_MARKERS:
        assert marker not in text


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_filtered_list_prints_its_cards_without_controls(
    page, dated_world, tmp_path, live_server, language
):
    path = f"/{language}/organizations/?activity=monitoring"
    page.goto(path)
    text = printed_text(page, tmp_path)
    assert f"{live_server.url}{path}" in text
    assert "+7 095 206-81-71" in text and "mhg@example.org" in text
    assert {"ru": "по состоянию на", "en": "as of"}[language] in text
    for label in SCREEN_ONLY[language]:
        assert label not in text, label
    # Black on white, and no card is split between two pages.
    styles = page.locator(".result").first.evaluate(
        "el => [getComputedStyle(el).breakInside, getComputedStyle(el).color,"
        " getComputedStyle(document.body).backgroundColor]"
    )
    assert styles == ["avoid", "rgb(0, 0, 0)", "rgb(255, 255, 255)"]
