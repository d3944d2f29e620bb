"""Import staging: the previewed file waits in the database for its own user only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from directory.models import Organization, StagedImport
from tests.factories import OrganizationFactory
from tests.staff import csv_bytes, export_csv, snapshot, staff_user

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:directory_organization_import"
EXPIRED = "Этот предпросмотр устарел или уже импортирован"


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(staff_user(username, group="Editors"))
    return client


def preview(client: Client) -> str:
    """Uploads a file that adds one organization; returns the confirmation token."""
    data = export_csv("en") + csv_bytes([["", "", "Новая группа", "New Group", "related NGO"]])
    response = client.post(
        reverse(IMPORT_URL),
        {"file": SimpleUploadedFile("new.csv", data, content_type="text/csv")},
    )
    assert 'id="import-confirm"' in response.content.decode()
    return response.context["token"]


def confirm(client: Client, token: str):
    return client.post(reverse(IMPORT_URL), {"token": token, "confirm": "1"}, follow=True)


def test_only_the_user_who_previewed_can_confirm():
    OrganizationFactory(name_en="Perm Memorial")
    author, other = logged_in("author"), logged_in("other")
    token = preview(author)
    before = snapshot()

    response = confirm(other, token)

    assert EXPIRED in response.content.decode()
    assert snapshot() == before
    response = confirm(author, token)
    assert "Импорт выполнен: новых — 1" in response.content.decode()
    assert Organization.objects.filter(name_en="New Group").exists()


def test_a_new_preview_replaces_the_users_earlier_one():
    author = logged_in("author")
    first = preview(author)
    second = preview(author)

    assert EXPIRED in confirm(author, first).content.decode()
    assert "Импорт выполнен: новых — 1" in confirm(author, second).content.decode()
    assert Organization.objects.filter(name_en="New Group").count() == 1


def test_a_preview_abandoned_for_a_day_expires_and_is_removed_by_the_next_one():
    author, other = logged_in("author"), logged_in("other")
    token = preview(author)
    StagedImport.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    assert EXPIRED in confirm(author, token).content.decode()
    assert not Organization.objects.filter(name_en="New Group").exists()
    preview(other)
    assert list(StagedImport.objects.values_list("user__username", flat=True)) == ["other"]
