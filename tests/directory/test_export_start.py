"""An export that cannot start fails before its first byte, with a status and a message.

The database really refuses: a table the first rows need is gone (a fault that trying
again cannot cure: 500), or a lock held by another connection makes the first query
wait past its timeout or fail at once (transient: 503 with Retry-After).
"""

import sqlite3

import psycopg
import pytest
from django.db import connection

from directory.models import Organization
from listing.exports import CHUNK_SIZE
from tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
    PublicationFactory,
)

# Each export, and a table its first chunk of rows reads but its row count does not.
EXPORTS = {
    "organizations": ("/{lang}/organizations/export.{fmt}", "directory_phone"),
    "people": ("/{lang}/people/export.{fmt}", "directory_affiliation"),
    "publications": ("/{lang}/publications/export.{fmt}", "publications_publication_editors"),
}
TRY_AGAIN = {
    "ru": "Попробуйте ещё раз через минуту.",
    "en": "Please try again in a minute.",
}
NO_USE = {
    "ru": "повторная попытка не поможет, пока его не исправят.",
    "en": "trying again will not help until it is fixed.",
}
HEADING = {
    "ru": "Файл для скачивания не удалось подготовить",
    "en": "The download could not be made",
}


def some_of_everything():
    organization = OrganizationFactory(name_en="Moscow Helsinki Group", contacts_public=True)
    PhoneFactory(organization=organization)
    person = PersonFactory(name_en="Lyudmila Alexeyeva")
    AffiliationFactory(person=person, organization=organization)
    PublicationFactory(title_en="Freedom of Conscience", editors=[person])


def assert_error_page(response, *, lang, status):
    other = "en" if lang == "ru" else "ru"
    assert response.status_code == status
    assert not response.streaming
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert HEADING[lang] in html
    assert f'<div lang="{other}" class="other-language">' in html
    assert HEADING[other] in html
    assert "Traceback" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("fmt, lang", [("csv", "ru"), ("json", "en")])
def test_an_export_that_cannot_be_made_is_a_500_that_does_not_ask_to_try_again(
    client, name, fmt, lang
):
    some_of_everything()
    url, table = EXPORTS[name]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows just made have deferred foreign-key checks, which DROP refuses.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")  # rolled back after

    response = client.get(url.format(lang=lang, fmt=fmt))

    assert_error_page(response, lang=lang, status=500)
    assert "Retry-After" not in response
    html = response.content.decode()
    for code in ("ru", "en"):
        assert NO_USE[code] in html
        assert TRY_AGAIN[code] not in html


class OtherConnection:
    """A second connection to the test database that locks ``table`` until closed."""

    def __init__(self, table: str):
        self.table = table

    def __enter__(self):
        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            self.conn = psycopg.connect(
                dbname=settings["NAME"],
                user=settings["USER"],
                password=settings["PASSWORD"] or None,
                host=settings["HOST"] or None,
                port=settings["PORT"] or None,
            )
            self.conn.execute(f'LOCK TABLE "{self.table}" IN ACCESS EXCLUSIVE MODE')
            # The export's own connection waits for the lock no longer than this.
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = '500ms'")
        else:
            # The tests' SQLite database is in memory with a shared cache: a writer
            # there locks its tables for every other connection (SQLITE_LOCKED).
            self.conn = sqlite3.connect(settings["NAME"], uri=True, isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute(f'DELETE FROM "{self.table}"')
        return self

    def __exit__(self, *exc):
        self.conn.rollback()
        self.conn.close()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")


@pytest.mark.django_db(transaction=True)  # committed rows, as another connection sees them
@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("fmt, lang", [("csv", "en"), ("json", "ru")])
def test_an_export_the_database_cannot_serve_now_is_a_503_that_asks_to_try_again(
    client, name, fmt, lang
):
    some_of_everything()
    url, table = EXPORTS[name]

    with OtherConnection(table):
        response = client.get(url.format(lang=lang, fmt=fmt))

    assert_error_page(response, lang=lang, status=503)
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    for code in ("ru", "en"):
        assert TRY_AGAIN[code] in html
        assert NO_USE[code] not in html
    # Once the lock is gone, the same download works.
    response = client.get(url.format(lang=lang, fmt=fmt))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


@pytest.mark.django_db(transaction=True)  # autocommit, as a server streams
@pytest.mark.parametrize("name", EXPORTS)
def test_a_download_closed_unread_lets_go_of_the_database(client, name):
    """The first rows are read before the response: closing it unread must end that read."""
    for _ in range(3):
        some_of_everything()
    # More organizations than one read brings: the first leaves the query unfinished.
    Organization.objects.bulk_create(
        OrganizationFactory.build(region=None, slug=f"bulk-{n}") for n in range(CHUNK_SIZE)
    )
    url, _table = EXPORTS[name]
    for fmt in ("csv", "json"):
        response = client.get(url.format(lang="en", fmt=fmt))
        assert response.status_code == 200
        response.close()  # unread: a client gone before the first byte
        assert_connection_free(3 + CHUNK_SIZE)
        # HEAD answers as GET would, and its query is let go of without a close.
        head = client.head(url.format(lang="en", fmt=fmt))
        assert head.status_code == 200
        assert head["Content-Disposition"].startswith("attachment;")
        assert_connection_free(3 + CHUNK_SIZE)


def assert_connection_free(organizations: int) -> None:
    """No query of the export still holds the connection."""
    if connection.vendor == "postgresql":
        info = connection.connection.info
        assert info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors")
            assert cursor.fetchone() == (0,)
    assert OrganizationFactory._meta.model.objects.count() == organizations
