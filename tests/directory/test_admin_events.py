"""Events in the admin: the inline on the organization, the status they decide shown
read-only, the status action that leaves such organizations alone, the event's own
admin with history and restore, and the roles that may edit them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from directory.models import Organization, OrganizationEvent, Region
from tests.factories import (
    OrganizationEventFactory,
    OrganizationFactory,
    RegionFactory,
    SourceFactory,
)
from tests.html import page
from tests.staff import form_data, staff_user

pytestmark = pytest.mark.django_db

DECIDED_RU = (
    "закрыта: так определяет публичное событие «ликвидирована по решению суда» "
    "(25 января 2023 г.). Чтобы изменить статус, измените это событие ниже или сделайте "
    "его видимым только сотрудникам."
)


@pytest.fixture
def editor(client):
    user = staff_user("editor", group="Editors")
    client.force_login(user)
    return user


def change_url(org) -> str:
    return reverse("admin:directory_organization_change", args=[org.pk])


def with_events(response, *events: dict, **changes) -> dict:
    """The organization form as it stands, plus new ``events`` in its events inline."""
    data = form_data(response, **changes)
    data.update({"events-TOTAL_FORMS": str(len(events)), "events-INITIAL_FORMS": "0"})
    for n, event in enumerate(events):
        data.update({f"events-{n}-{name}": value for name, value in event.items()})
    return data


LIQUIDATED = {
    "kind": "liquidated",
    "when": "2023-01-25",
    "note_en": "By the Moscow City Court.",
    "note_ru": "По решению Московского городского суда.",
    "is_public": "on",
}


def test_an_editor_adds_a_dated_event_with_its_sources_in_the_inline(client, editor):
    org = OrganizationFactory(name_en="Perm Memorial", status="active")
    source = SourceFactory(title_en="Court report")
    response = client.get(change_url(org))
    assert 'name="events-TOTAL_FORMS"' in response.content.decode()

    saved = client.post(
        change_url(org), with_events(response, {**LIQUIDATED, "sources": [str(source.pk)]})
    )

    assert saved.status_code == 302
    (event,) = org.events.all()
    assert (event.kind, event.date_precision, event.when.iso()) == (
        "liquidated", "day", "2023-01-25",
    )  # fmt: skip
    assert (event.note_ru, list(event.sources.all())) == (LIQUIDATED["note_ru"], [source])
    org.refresh_from_db()
    assert (org.status, org.status_since_date.iso()) == ("closed", "2023-01-25")
    # Recorded as who made it (the row, then its sources).
    assert {record.history_user for record in event.history.all()} == {editor}


@pytest.mark.parametrize(
    ("typed", "precision"), [("1997", "year"), ("1997-01", "month"), ("1997-01-25", "day")]
)
def test_the_date_is_typed_as_one_field_with_its_precision(client, editor, typed, precision):
    org = OrganizationFactory(founded=None)
    response = client.get(change_url(org))

    founded = {"kind": "founded", "when": typed, "is_public": "on"}
    client.post(change_url(org), with_events(response, founded))

    event = org.events.get()
    assert (event.when.iso(), event.date_precision) == (typed, precision)
    assert Organization.objects.get(pk=org.pk).founded == 1997


def test_a_bad_date_is_refused_with_a_message_and_nothing_saved(client, editor):
    org = OrganizationFactory(status="active")
    response = client.get(change_url(org))

    refused = client.post(change_url(org), with_events(response, {**LIQUIDATED, "when": "1997-13"}))

    assert refused.status_code == 200
    assert "Месяца 13 нет: месяцы нумеруются от 01 до 12." in refused.content.decode()
    assert not org.events.exists()
    assert Organization.objects.get(pk=org.pk).status == "active"


def test_a_relocation_country_must_be_a_country(client, editor):
    org = OrganizationFactory()
    lithuania = RegionFactory(name_ru="Литва", name_en="Lithuania", kind=Region.Kind.COUNTRY)
    city = RegionFactory(name_ru="Вильнюс", kind=Region.Kind.CITY, parent=lithuania)
    response = client.get(change_url(org))

    moved = {"kind": "relocated", "when": "2022-03", "is_public": "on"}
    refused = client.post(change_url(org), with_events(response, {**moved, "country": city.pk}))
    assert refused.status_code == 200 and not org.events.exists()
    client.post(change_url(org), with_events(response, {**moved, "country": lithuania.pk}))
    assert org.events.get().country == lithuania

    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "directory",
            "model_name": "organizationevent",
            "field_name": "country",
            "term": "",
        },
    ).json()["results"]
    # Countries only: the organization's own region (a subject) is not offered either.
    assert [result["text"] for result in found] == ["Литва"]


def test_sources_are_found_by_autocomplete(client, editor):
    SourceFactory(title_en="Reuters report", title_ru="Сообщение Reuters", publisher_en="Reuters")
    SourceFactory(title_en="CCSI, NIS Third Sector Organizations")

    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "directory",
            "model_name": "organizationevent",
            "field_name": "sources",
            "term": "reuters",
        },
    ).json()["results"]

    assert [result["text"] for result in found] == ["Сообщение Reuters"]


def test_a_status_that_events_decide_is_shown_read_only_with_why(client, editor):
    org = OrganizationFactory(status="active")
    OrganizationEventFactory(organization=org, kind="liquidated", date="2023-01-25")
    staff_only = OrganizationFactory(status="active")
    OrganizationEventFactory(
        organization=staff_only, kind="liquidated", date="2023-01-25", is_public=False
    )

    decided = page(client.get(change_url(org)))
    assert not decided.find_all("select", name="status")
    assert DECIDED_RU in decided.find("div", class_="field-status_by_events").text
    # An event seen by staff only decides nothing: the status is typed as before.
    assert page(client.get(change_url(staff_only))).find_all("select", name="status")


def test_saving_the_form_of_a_decided_organization_keeps_its_status(client, editor):
    org = OrganizationFactory(name_en="Old", status="active")
    OrganizationEventFactory(organization=org, kind="suspended", date="2020")
    response = client.get(change_url(org))

    client.post(change_url(org), form_data(response, name_en="New", status="active"))

    org.refresh_from_db()
    assert (org.name_en, org.status, org.status_since_date.iso()) == ("New", "inactive", "2020")


def test_typing_a_founding_year_in_the_form_moves_the_founded_event(client, editor):
    org = OrganizationFactory(founded=None)
    OrganizationEventFactory(organization=org, kind="founded", date="1976-05-12")
    response = client.get(change_url(org))
    assert "Год самого раннего публичного события «основана» ниже." in response.content.decode()

    client.post(change_url(org), form_data(response, founded="1977"))
    assert [e.when.iso() for e in org.events.all()] == ["1977"]
    client.post(change_url(org), form_data(client.get(change_url(org)), founded=""))
    assert not org.events.exists()


def test_the_status_action_leaves_alone_what_events_decide_and_says_so(client, editor):
    free = OrganizationFactory(name_ru="Свободная", status="unknown")
    decided = OrganizationFactory(name_ru="Ликвидированная", status="active")
    OrganizationEventFactory(organization=decided, kind="liquidated", date="2023-01-25")

    response = client.post(
        reverse("admin:directory_organization_changelist"),
        {"action": "set_status_active", "_selected_action": [free.pk, decided.pk]},
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "Изменена 1 организация.",
        "1 организация сохранила статус, который определяют её публичные события: Ликвидированная.",
    ]
    assert Organization.objects.get(pk=free.pk).status == "active"
    assert Organization.objects.get(pk=decided.pk).status == "closed"
    assert Organization.objects.get(pk=decided.pk).history.count() == 1


# The event's own admin: history and restore.


def event_url(name: str, *args) -> str:
    return reverse(f"admin:directory_organizationevent_{name}", args=args)


def test_an_earlier_version_of_an_event_can_be_restored(client, editor):
    org = OrganizationFactory(status="active")
    event = OrganizationEventFactory(organization=org, kind="liquidated", date="2023-01-25")
    first = event.history.get()
    response = client.get(event_url("change", event.pk))
    client.post(event_url("change", event.pk), form_data(response, kind="suspended"))
    assert Organization.objects.get(pk=org.pk).status == "inactive"

    revert = event_url("simple_history", event.pk, first.history_id)
    client.post(revert, form_data(client.get(revert)))

    event.refresh_from_db()
    assert (event.kind, event.when.iso()) == ("liquidated", "2023-01-25")
    assert Organization.objects.get(pk=org.pk).status == "closed"
    assert event.history.first().history_user == editor
    history = client.get(event_url("history", event.pk)).content.decode()
    assert "editor" in history


def test_a_deleted_event_can_be_restored(client, editor):
    org = OrganizationFactory(status="active")
    source = SourceFactory()
    event = OrganizationEventFactory(
        organization=org, kind="liquidated", date="2023-01-25", sources=[source]
    )
    pk = event.pk
    client.post(event_url("delete", pk), {"post": "yes"})
    assert not OrganizationEvent.objects.filter(pk=pk).exists()
    assert Organization.objects.get(pk=org.pk).status_since is None

    version = OrganizationEvent.history.filter(id=pk).exclude(history_type="-").first()
    revert = event_url("simple_history", pk, version.history_id)
    client.post(revert, form_data(client.get(revert)))

    restored = OrganizationEvent.objects.get(pk=pk)
    assert (restored.kind, list(restored.sources.all())) == ("liquidated", [source])
    assert Organization.objects.get(pk=org.pk).status_since_date.iso() == "2023-01-25"


def test_restoring_a_deleted_organization_brings_back_its_events(client, editor):
    org = OrganizationFactory(name_en="Perm Memorial", status="active", founded=None)
    source = SourceFactory()
    OrganizationEventFactory(organization=org, kind="founded", date="1988-10")
    OrganizationEventFactory(
        organization=org, kind="liquidated", date="2023-01-25", sources=[source]
    )
    pk = org.pk
    client.post(reverse("admin:directory_organization_delete", args=[pk]), {"post": "yes"})
    assert not OrganizationEvent.objects.filter(organization_id=pk).exists()

    version = Organization.history.filter(id=pk).exclude(history_type="-").first()
    revert = reverse("admin:directory_organization_simple_history", args=[pk, version.history_id])
    client.post(revert, form_data(client.get(revert)), follow=True)

    restored = Organization.objects.get(pk=pk)
    assert [(e.kind, e.when.iso()) for e in restored.events.all()] == [
        ("founded", "1988-10"), ("liquidated", "2023-01-25"),
    ]  # fmt: skip
    assert list(restored.events.get(kind="liquidated").sources.all()) == [source]
    assert (restored.founded, restored.status) == (1988, "closed")


# Roles: migration 0017 gives the new models to the roles of 0003.


@pytest.mark.parametrize("model", ["organizationevent", "source"])
def test_editors_edit_events_and_sources_and_viewers_only_see_them(model):
    editor = staff_user("editor", group="Editors")
    viewer = staff_user("viewer", group="Viewers")
    for action in ("add", "change", "delete", "view"):
        assert editor.has_perm(f"directory.{action}_{model}")
        assert viewer.has_perm(f"directory.{action}_{model}") is (action == "view")
    assert Group.objects.get(name="Viewers").permissions.filter(codename=f"view_{model}").exists()


def test_a_viewer_sees_events_read_only_and_cannot_change_them(client):
    org = OrganizationFactory()
    event = OrganizationEventFactory(
        organization=org, kind="renamed", date="2001", former_name_en="Dawn Group"
    )
    client.force_login(staff_user("viewer", group="Viewers"))

    html = client.get(change_url(org)).content.decode()
    assert "Dawn Group" in html
    assert 'name="events-0-kind"' not in html
    assert client.get(event_url("change", event.pk)).status_code == 200
    assert client.post(event_url("change", event.pk), {"kind": "founded"}).status_code == 403
    assert client.post(event_url("delete", event.pk), {"post": "yes"}).status_code == 403
    assert OrganizationEvent.objects.get(pk=event.pk).kind == "renamed"
