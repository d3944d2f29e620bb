"""The cached counts and blocks of the public pages are fresh after every kind of write.

Each test reads the pages first (filling the cache), writes the way staff do (the
admin's form, its actions, the CSV import, the import command, deleting, restoring
from history) and reads the pages again as a visitor: the list's facet counts and
total, and the home page's figures, must already show the write.
"""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from directory.models import Organization
from tests.staff import export_csv, form_data, staff_user

pytestmark = pytest.mark.django_db

LIST = "/en/organizations/"
HOME = "/en/"
FACET_OPTION = re.compile(
    r'>([^<>]+)</(?:a|span)>(?:</label>)? <span class="facet-count">(\d+)</span>'
)


def facet(html: str, name: str) -> dict[str, int]:
    """``{label: count}`` of the facet ``name`` as the list page shows it."""
    block = re.search(rf'<fieldset class="facet" id="facet-{name}">(.*?)</fieldset>', html, re.S)
    assert block, f"no {name} facet on the page"
    return {label: int(count) for label, count in FACET_OPTION.findall(block.group(1))}


def found(html: str) -> int:
    return int(re.search(r"(\d+) organizations? found", html).group(1))


def home_figures(html: str) -> tuple[int, dict[str, int]]:
    """The home page's number of organizations and its counts per type of work and region."""
    total = int(re.search(r"rightsnet lists (\d+) human rights organization", html).group(1))
    activities = re.findall(r'>([^<>]+)</a> <span class="count">(\d+)</span>', html)
    return total, {label: int(count) for label, count in activities}


def visit(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def staff(client):
    client.force_login(staff_user("editor", group="Editors"))
    return client


def read_everything() -> None:
    """Fill the cache with every block the tests look at (and the list's first page)."""
    for path in (
        HOME,
        LIST,
        f"{LIST}?region=moscow-oblast",
        f"{LIST}?kind=group",
        "/en/activities/",
    ):
        visit(path)


# The shared world's five published organizations, all human rights groups: Moscow
# Helsinki Group (in Podolsk, Moscow Oblast; legal defense and monitoring), its branch
# (the oblast; education), Memorial (Russia; legal defense), Podolsk Rights Centre (the
# oblast; legal defense and monitoring) and the group at risk (the oblast; legal defense).
COUNTS = {"Education": 1, "Legal defense": 4, "Monitoring": 2}
REGIONS = {"Russia": 5, "Moscow Oblast": 4}
# Without Podolsk Rights Centre.
WITHOUT_SIMILAR = {"Education": 1, "Legal defense": 3, "Monitoring": 1}
REGIONS_WITHOUT_SIMILAR = {"Russia": 4, "Moscow Oblast": 3}


def test_the_pages_show_the_counts_of_the_data(world):
    html = visit(LIST)
    assert found(html) == 5
    assert facet(html, "kind")["human rights group"] == 5
    assert facet(html, "activity") == COUNTS
    assert home_figures(visit(HOME)) == (5, COUNTS | REGIONS)
    # Read again from the cache: the same page.
    assert visit(LIST) == html


def test_an_admin_edit_is_shown_at_once(world, staff):
    read_everything()
    url = reverse("admin:directory_organization_change", args=[world.similar.pk])
    form = staff.get(url)
    response = staff.post(url, form_data(form, kind="ngo", activities=[str(world.legal.pk)]))
    assert response.status_code == 302

    html = visit(LIST)
    assert facet(html, "kind")["human rights group"] == 4
    assert facet(html, "kind")["related NGO"] == 1
    assert facet(html, "activity") == COUNTS | {"Monitoring": 1}
    assert facet(visit(f"{LIST}?kind=group"), "activity") == COUNTS | {
        "Legal defense": 3,
        "Monitoring": 1,
    }
    assert home_figures(visit(HOME)) == (5, COUNTS | {"Monitoring": 1} | REGIONS)
    assert "Monitoring</a>" in visit("/en/activities/")


def test_an_admin_action_is_shown_at_once(world, staff):
    read_everything()
    response = staff.post(
        reverse("admin:directory_organization_changelist"),
        {"action": "unpublish", "_selected_action": [str(world.similar.pk)]},
    )
    assert response.status_code == 302

    html = visit(LIST)
    assert found(html) == 4
    assert "Podolsk Rights Centre" not in html
    assert facet(html, "region") == {"Russia": 4}
    assert facet(visit(f"{LIST}?region=moscow-oblast"), "kind") == {
        "human rights group": 3,
        "related NGO": 0,
        "official commission / ombudsman / state body": 0,
        "international organization": 0,
        "coalition / network": 0,
    }
    assert home_figures(visit(HOME)) == (4, WITHOUT_SIMILAR | REGIONS_WITHOUT_SIMILAR)


def test_a_csv_import_is_shown_at_once(world, staff):
    read_everything()
    data = export_csv("en").decode("utf-8-sig")
    # Every "human rights group" of the file becomes a "coalition / network".
    assert data.count("human rights group") == 5
    changed = ("\ufeff" + data.replace("human rights group", "coalition / network")).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:directory_organization_import")
    upload = SimpleUploadedFile("organizations.csv", changed, content_type="text/csv")
    token = staff.post(url, {"file": upload}).context["token"]
    assert staff.post(url, {"token": token, "confirm": "1"}).status_code == 302

    html = visit(LIST)
    assert facet(html, "kind")["human rights group"] == 0
    assert facet(html, "kind")["coalition / network"] == 5
    assert found(visit(f"{LIST}?kind=group")) == 0


def test_the_import_command_is_shown_at_once(world, tmp_path):
    read_everything()
    data = export_csv("en").decode("utf-8-sig").replace("human rights group", "related NGO")
    path = tmp_path / "organizations.csv"
    path.write_bytes(("\ufeff" + data).encode())
    staff_user("robot")
    call_command("import_organizations", str(path), "--user", "robot", verbosity=0)

    html = visit(LIST)
    assert facet(html, "kind")["human rights group"] == 0
    assert facet(html, "kind")["related NGO"] == 5


def test_deleting_and_restoring_from_history_are_shown_at_once(world, staff):
    read_everything()
    pk = world.similar.pk
    staff.post(reverse("admin:directory_organization_delete", args=[pk]), {"post": "yes"})
    assert not Organization.objects.filter(pk=pk).exists()

    html = visit(LIST)
    assert found(html) == 4
    assert facet(html, "activity") == WITHOUT_SIMILAR
    assert home_figures(visit(HOME)) == (4, WITHOUT_SIMILAR | REGIONS_WITHOUT_SIMILAR)
    assert facet(visit(f"{LIST}?region=moscow-oblast"), "activity") == WITHOUT_SIMILAR | {
        "Legal defense": 2
    }

    before_deletion = Organization.history.filter(id=pk).exclude(history_type="-").first()
    revert_url = reverse(
        "admin:directory_organization_simple_history", args=[pk, before_deletion.history_id]
    )
    staff.post(revert_url, form_data(staff.get(revert_url)), follow=True)
    assert Organization.objects.filter(pk=pk).exists()

    html = visit(LIST)
    assert found(html) == 5
    assert "Podolsk Rights Centre" in html
    assert facet(html, "activity") == COUNTS
    assert home_figures(visit(HOME)) == (5, COUNTS | REGIONS)
