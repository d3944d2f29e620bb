"""An organization's public events decide its status, founding year, designations and
former names (``directory/events.py``); staff notes (events not public) decide nothing."""

import datetime
import importlib

import pytest
from django.apps import apps

from directory import events
from directory.dates import PartialDate
from directory.models import Organization, OrganizationEvent
from tests.factories import OrganizationEventFactory, OrganizationFactory
from tests.html import page

pytestmark = pytest.mark.django_db

D = datetime.date


def event(org, kind, date, **kwargs):
    return OrganizationEventFactory(organization=org, kind=kind, date=date, **kwargs)


def fresh(org) -> Organization:
    return Organization.objects.get(pk=org.pk)


def since(org) -> str | None:
    when = fresh(org).status_since_date
    return when.iso() if when else None


def test_a_founded_event_makes_an_active_organization_active_since_that_date():
    org = OrganizationFactory(status="active")
    event(org, "founded", "1976-05-12")

    org = fresh(org)
    assert (org.status, org.founded) == ("active", 1976)
    assert org.status_since_date == PartialDate.parse("1976-05-12")


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("liquidated", "closed"),
        ("ceased", "closed"),
        ("suspended", "inactive"),
        ("resumed", "active"),
        ("relocated", "active"),
    ],
)
def test_a_status_changing_event_sets_the_status_since_its_date(kind, status):
    org = OrganizationFactory(status="unknown" if status == "active" else "active")
    event(org, "founded", "1976")
    event(org, kind, "2023-01-25")

    assert (fresh(org).status, since(org)) == (status, "2023-01-25")


def test_the_latest_status_changing_event_wins_whatever_the_order_of_entry():
    org = OrganizationFactory(status="active")
    event(org, "resumed", "2024-03")
    event(org, "liquidated", "2023-01-25")
    event(org, "suspended", "2022")
    event(org, "renamed", "2025", former_name_en="Old name")  # changes no status
    assert (fresh(org).status, since(org)) == ("active", "2024-03")

    event(org, "ceased", "2024-12-31")
    assert (fresh(org).status, since(org)) == ("closed", "2024-12-31")


def test_events_that_are_not_public_decide_nothing():
    org = OrganizationFactory(status="active", founded=None)
    event(org, "liquidated", "2023-01-25", is_public=False)
    event(org, "founded", "1976", is_public=False)
    event(org, "foreign_agent", "2015", is_public=False)
    event(org, "renamed", "2000", former_name_ru="Тайное имя", is_public=False)

    org = fresh(org)
    assert (org.status, org.status_since, org.founded) == ("active", None, None)
    assert (org.designations, org.former_names) == ("", "")
    assert "тайн" not in org.search_text


def test_without_a_status_event_the_status_staff_chose_stands():
    org = OrganizationFactory(status="unknown")
    event(org, "founded", "1976")
    event(org, "foreign_agent", "2015")

    org = fresh(org)
    # "Unknown" when nothing is known: a founding date says nothing about today.
    assert (org.status, org.status_since, org.founded) == ("unknown", None, 1976)

    org.status = "inactive"
    org.save()
    assert (fresh(org).status, since(org)) == ("inactive", None)


def test_staff_cannot_type_a_status_that_events_decide():
    org = OrganizationFactory(status="active")
    event(org, "liquidated", "2023-01-25")
    org = fresh(org)

    org.status = "active"
    org.save()

    assert (fresh(org).status, since(org)) == ("closed", "2023-01-25")


def test_founded_follows_the_earliest_public_founded_event():
    org = OrganizationFactory(founded=None)
    later = event(org, "founded", "1980")
    assert fresh(org).founded == 1980
    earliest = event(org, "founded", "1976-09")
    assert fresh(org).founded == 1976

    earliest.delete()
    assert fresh(org).founded == 1980
    later.is_public = False
    later.save()
    assert fresh(org).founded is None


def test_typing_a_founding_year_creates_moves_and_removes_the_founded_event():
    org = OrganizationFactory(founded=1990)
    (created,) = org.events.all()
    assert (created.kind, created.when.iso(), created.is_public) == ("founded", "1990", True)

    org.founded = 1991
    org.save()
    (moved,) = org.events.all()
    assert (moved.pk, moved.when.iso(), fresh(org).founded) == (created.pk, "1991", 1991)

    org.founded = None
    org.save()
    assert not org.events.exists()
    assert fresh(org).founded is None


def test_typing_the_same_year_keeps_a_more_precise_founding_date():
    org = OrganizationFactory(founded=None)
    event(org, "founded", "1976-05-12")
    org = fresh(org)

    org.name_en = "Renamed in English only"
    org.save()

    assert [e.when.iso() for e in org.events.all()] == ["1976-05-12"]


def test_designations_come_from_the_designation_events_in_a_fixed_order():
    org = OrganizationFactory()
    event(org, "undesirable", "2021-07")
    assert fresh(org).designations == "undesirable"
    event(org, "foreign_agent", "2015-11-09")
    event(org, "foreign_agent", "2016")  # a second entry adds nothing

    assert fresh(org).designations == "foreign_agent undesirable"


def test_former_names_come_from_the_renamed_events_in_both_languages():
    org = OrganizationFactory()
    event(org, "renamed", "1998", former_name_ru="Группа «Рассвет»", former_name_en="Dawn Group")
    event(org, "renamed", "2005", former_name_ru="Центр «Рассвет»", former_name_en="")

    assert fresh(org).former_names.splitlines() == [
        "Группа «Рассвет»",
        "Dawn Group",
        "Центр «Рассвет»",
    ]


def test_deleting_an_event_derives_everything_again():
    org = OrganizationFactory(status="active", founded=None)
    founded = event(org, "founded", "1976")
    liquidated = event(org, "liquidated", "2023-01-25")
    designation = event(org, "foreign_agent", "2015")
    renamed = event(org, "renamed", "2000", former_name_en="Dawn Group")
    org = fresh(org)
    assert (org.status, org.designations, org.former_names) == (
        "closed", "foreign_agent", "Dawn Group",
    )  # fmt: skip

    for gone in (designation, renamed, liquidated):
        gone.delete()

    org = fresh(org)
    assert (org.designations, org.former_names, org.founded) == ("", "", 1976)
    # The status last known stands (staff set it when they know more); no event dates it.
    assert (org.status, org.status_since) == ("closed", None)
    founded.delete()
    assert fresh(org).founded is None


def test_the_event_rule_and_its_sql_readers_agree():
    decided, free, relocated = (OrganizationFactory(status="active") for _ in range(3))
    event(decided, "suspended", "2020")
    event(free, "suspended", "2020", is_public=False)
    event(free, "founded", "1990")
    event(relocated, "relocated", "2022-03", country=None)
    abroad = OrganizationFactory(status="active")
    event(abroad, "relocated", "2022")
    event(abroad, "ceased", "2024")  # then closed: no longer "abroad"

    has_status_event = Organization.objects.filter(events.status_decided())
    assert set(has_status_event) == {decided, relocated, abroad}
    assert events.relocations([decided.pk, free.pk, relocated.pk, abroad.pk]) == {
        relocated.pk: None
    }


@pytest.mark.parametrize(
    ("founded", "status", "closed_on", "years"),
    [
        (1976, "active", None, {1976: True, 1975: False, 2030: True}),
        (None, "active", None, {1800: True, 2100: True}),
        (1976, "closed", "2023-01-25", {1975: False, 1976: True, 2023: True, 2024: False}),
        (1976, "closed", None, {2024: True}),  # closed, but nobody knows since when
        (None, "inactive", "2020", {2024: True}),  # inactive is not closed
    ],
)
def test_active_in_a_year(founded, status, closed_on, years):
    org = OrganizationFactory(founded=founded, status=status)
    if closed_on:
        event(org, "liquidated" if status == "closed" else "suspended", closed_on)
    for year, active in years.items():
        found = Organization.objects.filter(events.active_in_year(year), pk=org.pk).exists()
        assert found is active, year


# Former names are searchable.


@pytest.fixture
def renamed(db):
    org = OrganizationFactory(name_ru="Центр «Правда»", name_en="Pravda Centre")
    event(
        org,
        "renamed",
        "2001",
        former_name_ru="Комитет защиты прав заключённых",
        former_name_en="Committee for Prisoners' Rights",
    )
    OrganizationFactory(name_ru="Другая группа", name_en="Another group")
    return org


def found(client, language: str, q: str) -> list[str]:
    response = client.get(f"/{language}/organizations/", {"q": q})
    return [item.find("a").text for item in page(response).find("ol", class_="result-list").items()]


@pytest.mark.parametrize(
    ("language", "q", "name"),
    [
        ("ru", "заключённых", "Центр «Правда»"),
        ("ru", "Комитет защиты заключенных", "Центр «Правда»"),
        ("en", "Prisoners", "Pravda Centre"),
        ("en", "committee prisoners rights", "Pravda Centre"),
        ("en", "Zakliuchennykh", "Pravda Centre"),  # the Russian name, transliterated
        ("ru", "zaklyuchennyh", "Центр «Правда»"),
    ],
)
def test_the_list_finds_an_organization_by_a_former_name(client, renamed, language, q, name):
    assert found(client, language, q) == [name]


# Migrations keep every row's data.


def test_the_data_migration_made_a_founded_event_of_every_founding_year():
    migration = importlib.import_module("directory.migrations.0015_records_data")
    with_year = OrganizationFactory(status="active", founded=None)
    closed = OrganizationFactory(status="closed", founded=None)
    without = OrganizationFactory(founded=None)
    # As the rows stood before: a year in the column, no event.
    Organization.objects.filter(pk=with_year.pk).update(founded=1976)
    Organization.objects.filter(pk=closed.pk).update(founded=1989)

    class SchemaEditor:
        class connection:
            alias = "default"

    migration.forwards(apps, SchemaEditor())

    made = OrganizationEvent.objects.order_by("organization_id")
    assert [(e.organization_id, e.kind, e.when.iso(), e.is_public) for e in made] == [
        (with_year.pk, "founded", "1976", True),
        (closed.pk, "founded", "1989", True),
    ]
    assert (since(with_year), since(closed), since(without)) == ("1976", None, None)
    assert [fresh(org).status for org in (with_year, closed, without)] == [
        "active", "closed", "active",
    ]  # fmt: skip
    # Saving again derives the same values from the new events.
    for org in (with_year, closed):
        before = fresh(org)
        before.save()
        after = fresh(org)
        assert (after.founded, after.status, after.status_since) == (
            before.founded, before.status, before.status_since,
        )  # fmt: skip
