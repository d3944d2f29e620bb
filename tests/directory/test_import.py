"""Bulk import of organizations from CSV: preview, all-or-nothing, round trip, command."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from directory import columns, importing, services
from directory.models import Organization, OrganizationEvent, Phone
from tests.factories import (
    ActivityTypeFactory,
    OrganizationEventFactory,
    OrganizationFactory,
    PhoneFactory,
    RegionFactory,
    SourceFactory,
)
from tests.staff import csv_bytes, export_csv, snapshot, staff_user

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:directory_organization_import"


@pytest.fixture
def editor(client):
    user = staff_user("editor", group="Editors")
    client.force_login(user)
    return user


@pytest.fixture
def mhg():
    """The Moscow Helsinki Group with contacts, a type of work and a phone."""
    russia = RegionFactory(name_en="Russia", name_ru="Россия", kind="country")
    moscow = RegionFactory(name_en="Moscow", name_ru="Москва", parent=russia)
    monitoring = ActivityTypeFactory(name_en="Monitoring", name_ru="Мониторинг")
    org = OrganizationFactory(
        name_ru="Московская Хельсинкская группа",
        name_en="Moscow Helsinki Group",
        region=moscow,
        city_ru="Москва",
        city_en="Moscow",
        address_ru="Большой Златоустинский пер., 8/7",
        postal_code="101000",
        email="mhg@mhg.ru",
        website="https://mhg.ru",
        founded=1976,
        activities=[monitoring],
    )
    PhoneFactory(organization=org, number="+7 095 206-81-71")
    PhoneFactory(organization=org, number="+7 095 206-81-72", kind=Phone.Kind.FAX)
    return org


@pytest.fixture
def records(mhg):
    """The MHG dated and sourced (liquidated; contacts as of January 1997), a fictional
    designated group, a demo entry, and a group whose dated contacts are restricted."""
    Organization.objects.filter(pk=mhg.pk).update(
        contacts_as_of=datetime.date(1997, 1, 1), contacts_as_of_precision="month"
    )
    OrganizationEventFactory(
        organization=mhg, kind=OrganizationEvent.Kind.LIQUIDATED,
        date=datetime.date(2023, 1, 25), date_precision="day",
    )  # fmt: skip
    mhg.sources.set(
        [
            SourceFactory(
                publisher_en="CCSI", title_en="NIS Third Sector Organizations", title_ru="",
                date=datetime.date(1997, 1, 1), date_precision="month",
            ),
            SourceFactory(title_en="A call with a member", is_public=False),
        ]
    )  # fmt: skip
    designated = OrganizationFactory(name_en="Fictional Centre", region=mhg.region)
    OrganizationEventFactory(
        organization=designated, kind=OrganizationEvent.Kind.FOREIGN_AGENT,
        date=datetime.date(2022, 12, 1), date_precision="month",
    )  # fmt: skip
    OrganizationFactory(name_en="Demo Group 1", region=mhg.region, is_demo=True)
    OrganizationFactory(
        name_en="Careful Group", region=mhg.region, contacts_public=False,
        contacts_as_of=datetime.date(2021, 6, 1), contacts_as_of_precision="month",
    )  # fmt: skip
    mhg.refresh_from_db()
    return mhg


def upload(client, data: bytes, name: str = "organizations.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse(IMPORT_URL), {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    )


def edited(data: bytes, old: str, new: str) -> bytes:
    text = data.decode("utf-8-sig")
    assert old in text
    return ("\ufeff" + text.replace(old, new)).encode()


def real_export(client, lang: str) -> bytes:
    """The public export as a researcher downloads it."""
    from django.utils import translation

    with translation.override(lang):
        url = reverse("directory:organization_export", kwargs={"format": "csv"})
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_reimporting_an_export_changes_nothing(client, editor, mhg, lang):
    OrganizationFactory(name_en="Memorial", contacts_public=False, email="hidden@example.org")
    before = snapshot()
    exported = real_export(client, lang)
    assert exported.startswith("\ufeff".encode()) and exported.count(b"\r\n") == 3

    preview = upload(client, exported)

    assert preview.status_code == 200
    assert preview.context["report"].unchanged == 2
    assert preview.context["report"].changed_rows == []
    assert "import-confirm" not in preview.content.decode()
    table = importing.read_csv(exported, max_bytes=10**6)
    report = services.organization_import(table=table, user=editor, dry_run=False)
    assert (report.unchanged, report.updated, report.created, report.problems) == (2, 0, 0, [])
    # The shared columns build the same file the export view sends.
    assert sorted(exported.split(b"\r\n")) == sorted(export_csv(lang).split(b"\r\n"))
    assert snapshot() == before


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_reimporting_dated_sourced_and_demo_rows_changes_nothing(client, editor, records, lang):
    before = snapshot()
    exported = real_export(client, lang)
    assert b"2023-01-25" in exported and b"1997-01" in exported

    report = services.organization_import(
        table=importing.read_csv(exported, max_bytes=10**6), user=editor, dry_run=False
    )

    assert (report.unchanged, report.updated, report.created) == (4, 0, 0)
    assert (report.problems, report.warnings) == ([], [])
    assert snapshot() == before
    # The staff-only source and the restricted contacts' date stay where they were.
    assert Organization.objects.get(name_en="Careful Group").contacts_as_of == (
        datetime.date(2021, 6, 1)
    )
    assert records.sources.count() == 2


def test_contacts_as_of_is_imported_with_its_precision(editor, records):
    data = edited(export_csv("en"), ",1997-01,", ",2024-03-15,")

    report = services.organization_import(
        table=importing.read_csv(data, max_bytes=10**6), user=editor, dry_run=False
    )

    assert (report.updated, report.problems) == (1, [])
    records.refresh_from_db()
    assert (records.contacts_as_of, records.contacts_as_of_precision) == (
        datetime.date(2024, 3, 15), "day",
    )  # fmt: skip
    data = edited(export_csv("en"), ",2024-03-15,", ",2024,")
    services.organization_import(
        table=importing.read_csv(data, max_bytes=10**6), user=editor, dry_run=False
    )
    records.refresh_from_db()
    assert records.contacts_date.iso() == "2024"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("January 1997", "“January 1997”: Enter a year, a year and month or a full date"),
        ("1997-13", "“1997-13”: There is no month 13"),
        ("1997-02-30", "“1997-02-30”: There is no such day in the calendar"),
        ("97", "“97”: The year must be between 1000 and 9999"),
        ("1997-01-01T00:00", "Enter a year"),
        ("١٩٩٧", "Enter a year"),  # digits a reader cannot check
        ("-1997", "Enter a year"),
    ],
)
def test_a_bad_contacts_as_of_is_a_problem_and_nothing_is_written(
    client, editor, records, value, message
):
    data = edited(export_csv("en"), ",1976,", ",1977,")  # a good change in the same row
    data = edited(data, ",1997-01,", f",{value},")
    before = snapshot()

    client.cookies["django_language"] = "en"
    response = upload(client, data)

    report = response.context["report"]
    assert [(p.row, p.column) for p in report.problems] == [(2, "contacts_as_of")]
    assert message in report.problems[0].message
    page = response.content.decode()
    assert "import-confirm" not in page
    assert report.problems[0].message in page
    with __import__("django").utils.translation.override("en"):
        report = services.organization_import(
            table=importing.read_csv(data, max_bytes=10**6), user=editor, dry_run=False
        )
    assert not report.written
    assert snapshot() == before


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        (",2023-01-25,", ",2020-01-01,", "status_since", "the status and its date follow"),
        (",2023-01-25,,", ",2023-01-25,foreign agent,", "designations", "designations follow"),
        (",0,moscow-helsinki-group,", ",1,moscow-helsinki-group,", "demo", "demo generator"),
    ],
)
def test_derived_columns_are_not_imported_and_the_preview_says_so(
    editor, records, old, new, column, message
):
    data = edited(export_csv("en", Organization.objects.filter(pk=records.pk)), old, new)
    before = snapshot()

    with __import__("django").utils.translation.override("en"):
        report = services.organization_import(
            table=importing.read_csv(data, max_bytes=10**6), user=editor, dry_run=False
        )

    assert (report.unchanged, report.problems) == (1, [])
    assert [(w.row, w.column) for w in report.warnings] == [(2, column)]
    assert message in report.warnings[0].message
    assert snapshot() == before


def test_edited_sources_are_not_imported_and_the_preview_says_so(client, editor, records):
    data = edited(
        export_csv("ru", Organization.objects.filter(pk=records.pk)),
        "CCSI, NIS Third Sector Organizations, 1997-01",
        "Some other source, 2001",
    )
    before = snapshot()

    response = upload(client, data)

    report = response.context["report"]
    assert (report.unchanged, report.problems) == (1, [])
    assert [(w.row, w.column) for w in report.warnings] == [(2, "sources")]  # as headed
    assert "Не импортируется: источники выбирают в админке." in response.content.decode()
    assert snapshot() == before


def test_a_status_the_events_decide_cannot_be_imported(editor, records):
    data = edited(
        export_csv("en", Organization.objects.filter(pk=records.pk)), ",closed,", ",active,"
    )
    before = snapshot()

    with __import__("django").utils.translation.override("en"):
        report = services.organization_import(
            table=importing.read_csv(data, max_bytes=10**6), user=editor, dry_run=False
        )

    assert [(p.row, p.column) for p in report.problems] == [(2, "status")]
    message = report.problems[0].message
    assert "follows the organization's public event “liquidated by a court”" in message
    assert snapshot() == before


def test_restricted_contacts_left_empty_by_a_public_export_are_kept(editor, mhg):
    mhg.contacts_public = False
    mhg.save()
    table = importing.read_csv(export_csv("en"), max_bytes=10**6)

    report = services.organization_import(table=table, user=editor, dry_run=False)

    assert report.unchanged == 1
    mhg.refresh_from_db()
    assert mhg.email == "mhg@mhg.ru"
    assert mhg.phones.count() == 2


def test_preview_shows_changes_field_by_field_and_writes_nothing(client, editor, mhg):
    data = edited(export_csv("en"), "1976", "1977")
    data += csv_bytes([["", "", "Новая группа", "New Group", "related NGO", "Moscow"]])
    before = snapshot()

    response = upload(client, data)

    page = response.content.decode()
    report = response.context["report"]
    assert report.problems == []
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert "1976" in page and "1977" in page
    assert "New Group" in page
    assert 'id="import-confirm"' in page
    assert snapshot() == before


def test_confirming_the_preview_writes_every_row(client, editor, mhg):
    data = edited(export_csv("en"), "1976", "1977")
    data += csv_bytes([["", "", "Новая группа", "New Group", "related NGO", "Moscow"]])
    token = upload(client, data).context["token"]

    response = client.post(reverse(IMPORT_URL), {"token": token, "confirm": "1"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:directory_organization_changelist")
    assert "новых — 1, изменено — 1, без изменений — 0" in response.content.decode()
    mhg.refresh_from_db()
    assert mhg.founded == 1977
    # The year typed is the founded event's, from which the year is derived.
    assert mhg.events.get(kind="founded").when.iso() == "1977"
    new = Organization.objects.get(name_en="New Group")
    assert (new.kind, new.region, new.is_published) == ("ngo", mhg.region, False)
    latest = mhg.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Импорт CSV: organizations.csv"
    # The same confirmation cannot run twice.
    again = client.post(reverse(IMPORT_URL), {"token": token, "confirm": "1"})
    assert "Этот предпросмотр устарел или уже импортирован" in again.content.decode()


def test_one_bad_row_leaves_the_database_exactly_as_it_was(client, editor, mhg):
    other = OrganizationFactory(name_en="Perm Memorial")
    data = export_csv("en", Organization.objects.all())
    data = edited(data, "1976", "1977")  # a good change in row 2
    data = edited(data, "Perm Memorial", "Perm Memorial Society")  # row 3, good too
    data += csv_bytes([["", "", "", "", "human rights group", "Atlantis", "", "", "", "", "", "",
                        "not-an-email", "", "", "3000"]])  # fmt: skip
    before = snapshot()

    response = upload(client, data)

    problems = response.context["report"].problems
    assert [(p.row, p.column) for p in problems] == [
        (4, "region"), (4, "email"), (4, "founded"), (4, "name"),
    ]  # fmt: skip
    page = response.content.decode()
    for text in ("Atlantis", "not-an-email", "3000", "Нет названия"):
        assert text in page
    assert "import-confirm" not in page
    assert snapshot() == before
    # Confirming is impossible, and the service refuses to write too.
    table = importing.read_csv(data, max_bytes=10**6)
    report = services.organization_import(table=table, user=editor, dry_run=False)
    assert not report.written
    assert snapshot() == before
    other.refresh_from_db()
    assert other.name_en == "Perm Memorial"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        ("id,name\n1,Мемориал\n".encode("cp1251"), "UTF-8"),
        (b'id,name_en\n1,"unclosed\n', "malformed"),
        (b"\x00\x01binary", "binary"),
        (b"colour,size\nred,2\n", "identifies"),
        (b"id,name_en\n", "no rows"),
        (b"id,name_en\n1,A,extra,cells\n", "cells"),
    ],
)
def test_malformed_files_get_a_plain_message(client, editor, data, message):
    with __import__("django").utils.translation.override("en"):
        client.cookies["django_language"] = "en"
        response = upload(client, data)

    assert response.status_code == 200
    problems = response.context["report"].problems
    assert len(problems) == 1
    assert message in problems[0].message
    assert problems[0].message in response.content.decode()


def test_a_byte_order_mark_and_semicolons_are_accepted(editor, mhg):
    text = export_csv("ru").decode("utf-8-sig")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    data = ("\ufeff" + out.getvalue()).encode()

    table = importing.read_csv(data, max_bytes=10**6)
    report = services.organization_import(table=table, user=editor, dry_run=True)

    assert (table.lang, report.problems, report.unchanged) == ("ru", [], 1)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("kind", "secret society", "Unknown value"),
        ("status", "sleeping", "Unknown value"),
        ("region", "Atlantis", "Unknown region"),
        ("email", "mhg-at-mhg.ru", "not a valid email"),
        ("founded", "3000", "between 1800 and 2100"),
        ("founded", "long ago", "not a year"),
        ("last_verified", "31.02.2025", "not a date"),
        ("website", "mhg.ru", "http"),
        ("activities", "Knitting", "Unknown type of work"),
        ("id", "999", "No organization"),
    ],
)
def test_each_bad_value_is_named_with_row_and_column(editor, mhg, column, value, message):
    header = columns.headers("en")
    cells = dict(zip(header, next(_rows(export_csv("en"))), strict=True))
    cells[column] = value
    data = csv_bytes([header, [cells[key] for key in header]])

    with __import__("django").utils.translation.override("en"):
        report = services.organization_import(
            table=importing.read_csv(data, max_bytes=10**6), user=editor, dry_run=False
        )

    assert [(p.row, p.column) for p in report.problems] == [(2, column)]
    assert message in report.problems[0].message
    assert not report.written


def _rows(data: bytes):
    import csv
    import io

    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    next(reader)
    return reader


def test_a_formula_prefix_is_removed_again_on_import(editor, mhg):
    data = edited(export_csv("en"), "Moscow Helsinki Group", "=HYPERLINK(1)")
    assert b"'=HYPERLINK(1)" not in data  # the raw cell, as a user could type it
    table = importing.read_csv(data, max_bytes=10**6)
    services.organization_import(table=table, user=editor, dry_run=False)
    mhg.refresh_from_db()
    assert mhg.name_en == "=HYPERLINK(1)"

    again = services.organization_import(
        table=importing.read_csv(export_csv("en"), max_bytes=10**6), user=editor, dry_run=True
    )
    assert b"'=HYPERLINK(1)" in export_csv("en")
    assert again.unchanged == 1


def test_phones_and_types_of_work_are_replaced_with_history(editor, mhg):
    ActivityTypeFactory(name_en="Legal aid", name_ru="Юридическая помощь")
    data = edited(export_csv("en"), "+7 095 206-81-71", "+7 495 111-11-11; +7 095 206-81-71")
    data = edited(data, ",Monitoring,", ",Legal aid; Monitoring,")

    report = services.organization_import(
        table=importing.read_csv(data, max_bytes=10**6), user=editor, dry_run=False
    )

    assert report.updated == 1
    assert sorted(mhg.phones.values_list("number", flat=True)) == [
        "+7 095 206-81-71", "+7 095 206-81-72", "+7 495 111-11-11",
    ]  # fmt: skip
    assert sorted(mhg.activities.values_list("name_en", flat=True)) == ["Legal aid", "Monitoring"]
    assert Phone.history.filter(number="+7 495 111-11-11").get().history_user == editor


def test_a_file_over_the_size_limit_is_refused(client, editor, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(client, b"id,name_en\n" + b"1,x\n" * 50)
    assert response.status_code == 200
    assert "Размер файла 211\xa0байт, предел 100\xa0байт" in response.content.decode()
    assert "report" not in response.context


def test_the_command_imports_all_or_nothing(tmp_path, mhg):
    staff_user("robot", group="Editors")
    good = tmp_path / "good.csv"
    good.write_bytes(edited(export_csv("en"), "1976", "1977"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        edited(export_csv("en"), "1976", "1978") + csv_bytes([["", "", "", "X", "no such kind"]])
    )
    before = snapshot()

    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_organizations", str(bad), "--user", "robot", verbosity=0)
    assert snapshot() == before

    call_command("import_organizations", str(good), "--dry-run", verbosity=0)
    assert snapshot() == before

    call_command("import_organizations", str(good), "--user", "robot", verbosity=0)
    mhg.refresh_from_db()
    assert mhg.founded == 1977
    latest = mhg.history.first()
    assert latest.history_user.username == "robot"
    assert latest.history_change_reason == "import_organizations good.csv"


def test_the_command_refuses_a_huge_file(tmp_path, settings):
    settings.IMPORT_COMMAND_MAX_BYTES = 10
    big = tmp_path / "big.csv"
    big.write_bytes(b"id,name_en\n1,abcdefghij\n")
    with pytest.raises(CommandError, match="import_organizations"):
        call_command("import_organizations", str(big), verbosity=0)


def test_a_minimal_file_with_russian_headers_creates_drafts(editor):
    data = csv_bytes(
        [["Название", "Тип", "Статус"], ["Новая группа", "Родственная НКО", "закрыта"]]
    )

    report = services.organization_import(
        table=importing.read_csv(data, max_bytes=10**6), user=editor, dry_run=False
    )

    assert (report.lang, report.created, report.problems) == ("ru", 1, [])
    created = Organization.objects.get()
    assert (created.name_ru, created.name_en or "", created.kind, created.status) == (
        "Новая группа", "", "ngo", "closed",
    )  # fmt: skip
    assert not created.is_published


def test_rows_without_id_are_matched_by_the_address_in_url(editor, mhg):
    data = csv_bytes(
        [
            ["url", "founded"],
            [f"https://rightsnet.example.org/en/organizations/{mhg.slug}/", "1977"],
        ]
    )

    report = services.organization_import(
        table=importing.read_csv(data, max_bytes=10**6), user=editor, dry_run=False
    )

    assert (report.updated, report.created) == (1, 0)
    mhg.refresh_from_db()
    assert mhg.founded == 1977


def test_the_same_organization_twice_is_a_problem(editor, mhg):
    header = ["id", "founded"]
    data = csv_bytes([header, [str(mhg.pk), "1977"], [str(mhg.pk), "1978"]])

    report = services.organization_import(
        table=importing.read_csv(data, max_bytes=10**6), user=editor, dry_run=False
    )

    assert [(p.row, p.column) for p in report.problems] == [(3, "id")]
    mhg.refresh_from_db()
    assert mhg.founded == 1976


def test_a_status_that_events_decide_is_refused_with_why(editor, mhg):
    from tests.factories import OrganizationEventFactory

    OrganizationEventFactory(organization=mhg, kind="suspended", date="2020-05")
    data = csv_bytes([["id", "status"], [str(mhg.pk), "active"]])

    report = services.organization_import(
        table=importing.read_csv(data, max_bytes=10**6), user=editor, dry_run=False
    )

    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (
            2,
            "status",
            "Статус следует публичному событию организации «приостановила работу» "
            "(май 2020 г.): измените события в админке.",
        )
    ]
    assert Organization.objects.get(pk=mhg.pk).status == "inactive"
    # The export's own value (what a round trip writes back) is no change at all.
    same = csv_bytes([["id", "status"], [str(mhg.pk), "inactive"]])
    report = services.organization_import(
        table=importing.read_csv(same, max_bytes=10**6), user=editor, dry_run=False
    )
    assert (report.problems, report.unchanged) == ([], 1)
