"""The publications admin: history of changes and restore, and the two roles."""

import pytest
from django.urls import reverse

from tests.factories import PublicationFactory, SeriesFactory
from tests.staff import form_data, staff_user

pytestmark = pytest.mark.django_db


def test_an_editor_changes_a_publication_and_the_history_shows_it(client):
    editor = staff_user("editor", group="Editors")
    client.force_login(editor)
    series = SeriesFactory(name_en="Legal Culture")
    book = PublicationFactory(title_en="Human rights and the police", series=series, year=1998)
    url = reverse("admin:publications_publication_change", args=[book.pk])

    client.post(url, form_data(client.get(url), title_en="Human rights and the militia"))

    book.refresh_from_db()
    assert book.title_en == "Human rights and the militia"
    latest, first = book.history.all()[:2]
    assert latest.history_user == editor
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(first).changes}
    assert changes["title_en"] == ("Human rights and the police", "Human rights and the militia")
    page = client.get(reverse("admin:publications_publication_history", args=[book.pk]))
    assert "Human rights and the militia" in page.content.decode()

    revert = reverse(
        "admin:publications_publication_simple_history", args=[book.pk, first.history_id]
    )
    client.post(revert, form_data(client.get(revert)))
    book.refresh_from_db()
    assert book.title_en == "Human rights and the police"


def test_series_changes_are_recorded(client):
    editor = staff_user("editor", group="Editors")
    client.force_login(editor)
    series = SeriesFactory(name_en="Legal Culture")
    url = reverse("admin:publications_series_change", args=[series.pk])

    client.post(url, form_data(client.get(url), name_en="Legal Culture seminars"))

    assert series.history.first().history_user == editor
    assert series.history.first().name_en == "Legal Culture seminars"


def test_a_viewer_reads_publications_but_cannot_change_them(client):
    client.force_login(staff_user("viewer", group="Viewers"))
    draft = PublicationFactory(title_en="Unreleased draft", is_published=False)
    url = reverse("admin:publications_publication_change", args=[draft.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert "Unreleased draft" in response.content.decode()
    assert 'name="_save"' not in response.content.decode()
    assert client.post(url, {"title_en": "Changed"}).status_code == 403
    assert client.get(reverse("admin:publications_publication_add")).status_code == 403
    draft.refresh_from_db()
    assert draft.title_en == "Unreleased draft"
