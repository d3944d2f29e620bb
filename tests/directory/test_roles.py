"""What Editors, Viewers and superusers can and cannot do in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import OrganizationFactory, PhoneFactory
from tests.staff import export_csv, form_data, staff_user

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:directory_organization_import"


@pytest.fixture
def restricted():
    """An organization whose contacts are hidden from the public."""
    org = OrganizationFactory(
        name_en="Chechen monitoring group",
        contacts_public=False,
        email="secret-contact@example.org",
        postal_code="364000",
    )
    PhoneFactory(organization=org, number="+7 871 222-33-44")
    return org


def upload(client):
    data = export_csv("en").decode("utf-8-sig").replace("Chechen", "Grozny").encode()
    return client.post(
        reverse(IMPORT_URL), {"file": SimpleUploadedFile("orgs.csv", data, "text/csv")}
    )


def test_an_editor_can_change_an_organization_and_import(client, restricted):
    client.force_login(staff_user("editor", group="Editors"))
    url = reverse("admin:directory_organization_change", args=[restricted.pk])

    response = client.get(url)
    assert 'name="_save"' in response.content.decode()
    saved = client.post(url, form_data(response, founded="1995"))
    assert saved.status_code == 302
    restricted.refresh_from_db()
    assert restricted.founded == 1995

    changelist = client.get(reverse("admin:directory_organization_changelist"))
    assert reverse(IMPORT_URL) in changelist.content.decode()
    assert 'value="mark_verified"' in changelist.content.decode()
    assert client.get(reverse(IMPORT_URL)).status_code == 200
    assert upload(client).context["report"].updated == 1


def test_a_viewer_sees_restricted_contacts_read_only(client, restricted):
    client.force_login(staff_user("viewer", group="Viewers"))
    url = reverse("admin:directory_organization_change", args=[restricted.pk])

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "secret-contact@example.org" in page
    assert "+7 871 222-33-44" in page
    assert "364000" in page
    assert 'name="_save"' not in page
    assert 'name="email"' not in page  # shown as text, not as an input


def test_a_viewer_cannot_change_anything(client, restricted):
    viewer = staff_user("viewer", group="Viewers")
    client.force_login(viewer)
    change = reverse("admin:directory_organization_change", args=[restricted.pk])
    changelist = reverse("admin:directory_organization_changelist")

    assert client.post(change, {"name_en": "Hacked"}).status_code == 403
    assert client.get(reverse("admin:directory_organization_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:directory_organization_delete", args=[restricted.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    listing = client.get(changelist)
    assert 'value="mark_verified"' not in listing.content.decode()
    assert reverse(IMPORT_URL) not in listing.content.decode()
    acted = client.post(changelist, {"action": "publish", "_selected_action": [restricted.pk]})
    assert acted.status_code in (200, 302)
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert upload(client).status_code == 403
    restricted.refresh_from_db()
    assert restricted.name_en == "Chechen monitoring group"
    assert restricted.history.count() == 1


@pytest.mark.parametrize("group", ["Editors", "Viewers"])
def test_neither_role_can_manage_users(client, group):
    client.force_login(staff_user("someone", group=group))
    other = staff_user("other")

    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_change", args=[other.pk])).status_code == 403
    assert client.post(reverse("admin:auth_user_add"), {}).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_a_superuser_manages_users(client):
    client.force_login(staff_user("root", superuser=True))
    other = staff_user("other", group="Viewers")

    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    response = client.get(reverse("admin:auth_user_change", args=[other.pk]))
    assert 'name="_save"' in response.content.decode()


def test_staff_without_a_role_see_nothing(client, restricted):
    client.force_login(staff_user("newcomer"))
    url = reverse("admin:directory_organization_change", args=[restricted.pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse(IMPORT_URL)).status_code == 403


def test_a_viewer_sees_history_but_cannot_revert(client, restricted):
    first = restricted.history.get()
    restricted.name_en = "Renamed"
    restricted.save()
    client.force_login(staff_user("viewer", group="Viewers"))
    history = reverse("admin:directory_organization_history", args=[restricted.pk])
    revert = reverse(
        "admin:directory_organization_simple_history", args=[restricted.pk, first.history_id]
    )

    assert client.get(history).status_code == 200
    page = client.get(revert)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(revert, {}).status_code == 403
    restricted.refresh_from_db()
    assert restricted.name_en == "Renamed"
