"""History of every change: who, when, old and new values, and restoring an earlier version."""

import pytest
from django.urls import reverse

from directory import importing, services
from directory.models import ActivityType, Affiliation, Organization, Person, Phone, Region
from publications.models import Publication, Series
from tests.factories import (
    ActivityTypeFactory,
    AffiliationFactory,
    OrganizationFactory,
    PhoneFactory,
)
from tests.staff import export_csv, form_data, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = staff_user("editor", group="Editors")
    client.force_login(user)
    return user


def change_url(org):
    return reverse("admin:directory_organization_change", args=[org.pk])


def history_url(org_pk):
    return reverse("admin:directory_organization_history", args=[org_pk])


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Organization, ["name_ru", "name_en", "city_ru", "address_en", "description_ru"]),
        (Region, ["name_ru", "name_en"]),
        (ActivityType, ["name_ru", "description_en"]),
        (Person, ["name_ru", "title_en", "biography_ru"]),
        (Affiliation, ["role_ru", "role_en"]),
        (Series, ["name_ru", "description_en"]),
        (Publication, ["title_ru", "title_en", "city_ru"]),
        (Phone, ["number", "kind"]),
    ],
)
def test_historical_models_record_both_languages(model, fields):
    recorded = {field.name for field in model.history.model._meta.fields}
    assert set(fields) <= recorded


def test_an_admin_change_is_recorded_with_old_and_new_values(client, editor):
    org = OrganizationFactory(name_en="Perm Memorial", founded=1988)
    response = client.get(change_url(org))

    client.post(
        change_url(org), form_data(response, name_en="Perm Memorial Society", founded="1989")
    )

    latest, previous = org.history.all()[:2]
    assert latest.history_user == editor
    delta = latest.diff_against(previous)
    changes = {change.field: (change.old, change.new) for change in delta.changes}
    assert changes["name_en"] == ("Perm Memorial", "Perm Memorial Society")
    assert changes["founded"] == (1988, 1989)
    page = client.get(history_url(org.pk)).content.decode()
    assert "editor" in page
    assert "Perm Memorial Society" in page and "1988" in page and "1989" in page


def test_an_earlier_version_can_be_restored(client, editor):
    org = OrganizationFactory(name_en="Perm Memorial", founded=1988)
    first = org.history.get()
    org.name_en = "Mistake"
    org.founded = 2001
    org.save()
    revert_url = reverse(
        "admin:directory_organization_simple_history", args=[org.pk, first.history_id]
    )

    form = client.get(revert_url)
    assert form.status_code == 200
    client.post(revert_url, form_data(form))

    org.refresh_from_db()
    assert (org.name_en, org.founded) == ("Perm Memorial", 1988)
    assert org.history.first().history_user == editor


def test_deleting_asks_for_confirmation_showing_what_goes_and_can_be_restored(client, editor):
    monitoring = ActivityTypeFactory(name_en="Monitoring")
    org = OrganizationFactory(name_en="Perm Memorial", activities=[monitoring])
    PhoneFactory(organization=org, number="+7 342 212-11-11")
    PhoneFactory(organization=org, number="+7 342 212-22-22", kind=Phone.Kind.FAX)
    affiliation = AffiliationFactory(organization=org)
    delete_url = reverse("admin:directory_organization_delete", args=[org.pk])
    pk = org.pk

    confirm = client.get(delete_url)
    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert "+7 342 212-11-11" in page and "+7 342 212-22-22" in page
    assert str(affiliation.person) in page
    assert Organization.objects.filter(pk=pk).exists()  # nothing deleted by asking

    client.post(delete_url, {"post": "yes"})
    assert not Organization.objects.filter(pk=pk).exists()
    assert not Phone.objects.filter(organization_id=pk).exists()

    history_page = client.get(history_url(pk))
    assert history_page.status_code == 200
    before_deletion = Organization.history.filter(id=pk).exclude(history_type="-").first()
    revert_url = reverse(
        "admin:directory_organization_simple_history", args=[pk, before_deletion.history_id]
    )
    form = client.get(revert_url)
    client.post(revert_url, form_data(form), follow=True)

    restored = Organization.objects.get(pk=pk)
    assert restored.name_en == "Perm Memorial"
    assert sorted(restored.phones.values_list("number", "kind")) == [
        ("+7 342 212-11-11", "tel"), ("+7 342 212-22-22", "fax"),
    ]  # fmt: skip
    assert list(restored.affiliations.values_list("person_id", flat=True)) == [
        affiliation.person_id
    ]
    assert list(restored.activities.all()) == [monitoring]
    assert restored.history.first().history_user == editor


def test_imports_and_commands_are_recorded_with_their_author_and_reason(editor):
    org = OrganizationFactory(name_en="Perm Memorial", founded=1988)
    data = export_csv("en").decode("utf-8-sig").replace(",1988,", ",1989,").encode()

    services.organization_import(
        table=importing.read_csv(data, max_bytes=10**6),
        user=editor,
        dry_run=False,
        reason="CSV import: perm.csv",
    )
    services.organization_mark_verified(organizations=[org], user=editor)

    verified, imported = org.history.all()[:2]
    assert (imported.history_user, imported.history_change_reason) == (
        editor, "CSV import: perm.csv",
    )  # fmt: skip
    assert imported.founded == 1989
    assert verified.history_user == editor
    assert verified.history_change_reason.startswith("Отмечено как проверенное")


def test_unchanged_rows_of_an_import_leave_no_history(editor):
    org = OrganizationFactory(name_en="Perm Memorial")
    PhoneFactory(organization=org)
    before = (Organization.history.count(), Phone.history.count())

    services.organization_import(
        table=importing.read_csv(export_csv("ru"), max_bytes=10**6), user=editor, dry_run=False
    )

    assert (Organization.history.count(), Phone.history.count()) == before


def test_partner_links_are_recorded_and_restored(client, editor):
    org = OrganizationFactory(name_en="Perm Memorial")
    old_partner = OrganizationFactory(name_en="Ural Helsinki Group")
    new_partner = OrganizationFactory(name_en="Kazan Human Rights Centre")
    org.partners.add(old_partner)
    with_old = org.history.first()
    org.partners.set([new_partner])

    latest = org.history.first()
    assert [link.to_organization_id for link in latest.partners.all()] == [new_partner.pk]
    assert [link.to_organization_id for link in with_old.partners.all()] == [old_partner.pk]

    revert_url = reverse(
        "admin:directory_organization_simple_history", args=[org.pk, with_old.history_id]
    )
    form = client.get(revert_url)
    client.post(revert_url, form_data(form), follow=True)

    assert list(org.partners.all()) == [old_partner]
    assert list(old_partner.partners.all()) == [org]  # the link is symmetric
