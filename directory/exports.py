"""The rows of the organizations and people exports (``listing.exports`` writes them).

- the rows are read a chunk of ``CHUNK_SIZE`` at a time (a server-side cursor); for
  each chunk the related rows (phones, types of work, sources; or the selector's
  prefetches) are read in one query per relation, so the number of queries depends on
  the number of chunks, never on the number of rows;
- organizations on PostgreSQL instead come in one ``COPY (...) TO STDOUT`` that
  carries each row's phones, types of work and source ids as arrays
  (``_copied_chunks``): the server makes rows while this process writes them, on the
  other core;
- types of work and public sources are read once per export into tables by id (their
  names, their citations: ``columns.SourceCitations``); a row's ids are looked up
  there, and an id not in the table (a source that is not public) is left out;
- organizations are read as plain values into namedtuples (no model instances), with
  every region's path computed once: model instances cost several times more per row;
- which contacts are public is ``directory.visibility``'s rule, read as a value of
  each row (``contacts_public``) and through ``with_public_contacts()``.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import defaultdict, namedtuple
from collections.abc import Iterator
from contextlib import closing, nullcontext
from itertools import chain

from django.db import connection, connections
from django.db.models import (
    BooleanField,
    CharField,
    F,
    Func,
    OuterRef,
    TextField,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI
from django.utils.translation import gettext_lazy

from listing.columns import DetailUrl
from listing.exports import CHUNK_SIZE, Export, in_pieces, rows_of, translated

from . import columns, person_columns, practice_columns, visibility
from .models import ActivityType, Organization, Phone

# Organizations: plain values, related rows per chunk.

# (attribute that columns.organization_row reads, value asked of the selector's queryset)
ORGANIZATION_VALUES = (
    ("pk", "id"),
    ("slug", "slug"),
    ("name_ru", "name_ru"),
    ("name_en", "name_en"),
    ("kind", "kind"),
    ("region_id", "region_id"),
    ("city_ru", "city_ru"),
    ("city_en", "city_en"),
    # The selector's with_public_contacts() annotations: empty where contacts are staff-only.
    ("address_ru", "public_address_ru"),
    ("address_en", "public_address_en"),
    ("postal_code", "public_postal_code"),
    ("email", "public_email"),
    ("website", "website"),
    ("founded", "founded"),
    ("status", "status"),
    ("status_since_precision", "status_since_precision"),
    ("designations", "designations"),
    ("contacts_as_of_precision", "contacts_as_of_precision"),
    ("is_demo", "is_demo"),
    ("short_name_ru", "short_name_ru"),
    ("short_name_en", "short_name_en"),
    ("description_ru", "description_ru"),
    ("description_en", "description_en"),
    ("parent_slug", columns.published_parent_slug()),
    # Whether the row's contacts are public: directory.visibility's rule, not the field.
    ("contacts_public", None),  # visibility's rule, as the query is made
    # Dates as the database's own ISO text, made dates again in C (see organization_rows).
    ("last_verified", Cast("last_verified", TextField())),
    ("status_since", Cast("status_since", TextField())),
    ("contacts_as_of", Cast("contacts_as_of", TextField())),
    ("updated_at", Cast("updated_at", TextField())),
)
_CONTACTS_PUBLIC = len(ORGANIZATION_VALUES) - 5
_DATES = len(ORGANIZATION_VALUES) - 4  # last_verified, status_since, contacts_as_of
_UPDATED_AT = len(ORGANIZATION_VALUES) - 1
# What organization_row reads, without a model instance: a tuple is built in C.
_OrganizationRecord = namedtuple(
    "_OrganizationRecord",
    [name for name, _value in ORGANIZATION_VALUES]
    + ["public_phones", "public_activities", "public_sources", "partner_slugs"],
)
# What organization_row reads of a phone (.number, .kind), as of a Phone; the fields
# start with Phone's ordering (organization, kind, id), so the tuples sort in it.
_PhoneRecord = namedtuple("_PhoneRecord", ["organization_id", "kind", "id", "number"])


def _in_ids(column: str, ids: list[int]) -> RawSQL:
    """``column IN (ids)`` with the ids as one parameter where the database allows it.

    The ORM's ``column__in=ids`` prepares every id on its own and the driver then parses
    one placeholder per id, which costs milliseconds for each chunk of 2,000 ids.
    """
    quoted = connection.ops.quote_name(column)
    if connection.vendor == "sqlite" and connection.features.supports_json_field:
        return RawSQL(
            f"{quoted} IN (SELECT value FROM json_each(%s))",
            [json.dumps(ids)],
            output_field=BooleanField(),
        )
    placeholders = ", ".join(["%s"] * len(ids))
    return RawSQL(f"{quoted} IN ({placeholders})", ids, output_field=BooleanField())


def _raw_chunks(queryset, chunk_size: int) -> Iterator[list[tuple]]:
    """The rows of a ``values_list`` queryset as the driver gives them, a chunk at a time.

    One query, read like ``QuerySet.iterator(chunk_size)`` (a server-side cursor on
    PostgreSQL), but without Django's converters, which cost a Python call per value:
    the drivers already return numbers and booleans, and dates are asked for as text
    (see ``ORGANIZATION_VALUES``), which the caller parses.
    """
    compiler = queryset.query.get_compiler(queryset.db)
    return compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=chunk_size)


def _raw_rows(queryset) -> Iterator[tuple]:
    """The rows of a small ``values_list`` queryset as the driver gives them (see above)."""
    compiler = queryset.query.get_compiler(queryset.db)
    return chain.from_iterable(compiler.execute_sql(MULTI))


def _related_rows(
    chunk: list[tuple], activities: dict[int, ActivityType], sources: dict[int, columns.Citation]
) -> tuple[dict[int, list], dict[int, list], dict[int, list], dict[int, list]]:
    """Organization id -> public phones, -> types of work, -> public sources, -> published
    partners' slugs (in order), of a chunk.

    One query each, whatever the size of the chunk; like the selector's public_phones,
    no phones where contacts are staff-only.
    """
    phones: defaultdict[int, list] = defaultdict(list)
    public = [row[0] for row in chunk if row[_CONTACTS_PUBLIC]]
    if public:
        # Phone's own order (organization, kind, id), sorted here: a few thousand
        # tuples sort faster in Python than the database sorts them for each chunk.
        for phone in map(
            _PhoneRecord._make,
            sorted(
                _raw_rows(
                    Phone.objects.filter(_in_ids("organization_id", public))
                    .order_by()
                    .values_list(*_PhoneRecord._fields)
                )
            ),
        ):
            phones[phone.organization_id].append(phone)
    ids = [row[0] for row in chunk]
    kinds_of_work: defaultdict[int, list] = defaultdict(list)
    for org_id, activity_id in _raw_rows(
        Organization.activities.through.objects.filter(_in_ids("organization_id", ids)).values_list(
            "organization_id", "activitytype_id"
        )
    ):
        # A type of work created since the export began is not in its table: skipped.
        if (activity := activities.get(activity_id)) is not None:
            kinds_of_work[org_id].append(activity)
    cited: defaultdict[int, list] = defaultdict(list)
    for org_id, source_id in _raw_rows(
        Organization.sources.through.objects.filter(_in_ids("organization_id", ids)).values_list(
            "organization_id", "source_id"
        )
    ):
        # Not in the table: not public (or created since the export began).
        if (source := sources.get(source_id)) is not None:
            cited[org_id].append(source)
    partners: defaultdict[int, list] = defaultdict(list)
    for org_id, slug in sorted(
        _raw_rows(
            Organization.partners.through.objects.filter(_in_ids("from_organization_id", ids))
            .filter(visibility.published("to_organization__"))
            .values_list("from_organization_id", "to_organization__slug")
        )
    ):
        partners[org_id].append(slug)
    return phones, kinds_of_work, cited, partners


def _organization_values(result, **arrays):
    """``result``'s queryset as plain values: ``ORGANIZATION_VALUES``, then ``arrays``."""
    return (
        # rewrite(False): plain Django values (modeltranslation's fallback wrapper is
        # slow and not needed, every language's column is asked for by name).
        result.queryset.rewrite(False)
        .prefetch_related(None)
        .annotate(**arrays)
        .values_list(
            *(
                visibility.as_value(visibility.contacts_public()) if value is None else value
                for _name, value in ORGANIZATION_VALUES
            ),
            *arrays,
        )
    )


def _organization_chunks(
    result,
    activities: dict[int, ActivityType],
    sources: dict[int, columns.Citation],
    chunk_size: int,
) -> Iterator[list]:
    """The rows of ``result`` a chunk at a time, as ``(row, phones, types of work, sources)``.

    ``row`` holds the values of ``ORGANIZATION_VALUES`` as the driver gives them; the
    phones, types of work and sources of a chunk are read in one query each
    (``_related_rows``).
    """
    for chunk in _raw_chunks(_organization_values(result), chunk_size):
        phones, kinds_of_work, cited, partners = _related_rows(chunk, activities, sources)
        phones_of, kinds_of, cited_of, partners_of = (
            phones.get,
            kinds_of_work.get,
            cited.get,
            partners.get,
        )
        yield [
            (
                row,
                phones_of(row[0], ()),
                kinds_of(row[0], ()),
                cited_of(row[0], ()),
                partners_of(row[0], []),
            )
            for row in chunk
        ]


def _copied_chunks(
    result,
    activities: dict[int, ActivityType],
    sources: dict[int, columns.Citation],
    chunk_size: int,
) -> Iterator[list]:
    """PostgreSQL: ``_organization_chunks``, read with one ``COPY (...) TO STDOUT``.

    Each row brings its phones, types of work and source ids as arrays. The server sends rows as
    it makes them while this process writes them out, so its work (the query and the
    arrays) runs on another core at the same time, where a cursor would make this
    process wait for each chunk (and for all rows before the first, to hold them);
    the socket's buffer holds the server back when it is ahead, so memory stays flat.
    One statement also means one snapshot: rows, phones and types of work agree.
    """
    # Imported here: django.contrib.postgres loads psycopg, ~10 MB a SQLite site never uses.
    from django.contrib.postgres.expressions import ArraySubquery
    from django.contrib.postgres.fields import ArrayField

    db = connections[result.queryset.db]
    # Each phone as [kind, number], in Phone's order: the phones are looked up once a row.
    phones = (
        Phone.objects.filter(organization_id=OuterRef("pk"))
        .order_by("kind", "id")
        .annotate(
            export_phone=Func(
                F("kind"),
                F("number"),
                template="ARRAY[%(expressions)s]",
                output_field=ArrayField(CharField()),
            )
        )
    )
    through = Organization.activities.through.objects.filter(organization_id=OuterRef("pk"))
    cited = Organization.sources.through.objects.filter(organization_id=OuterRef("pk"))
    partners = Organization.partners.through.objects.filter(
        visibility.published("to_organization__"), from_organization_id=OuterRef("pk")
    ).order_by("to_organization__slug")
    queryset = _organization_values(
        result,
        export_phones=ArraySubquery(phones.values("export_phone")),
        export_activity_ids=ArraySubquery(through.order_by().values("activitytype_id")),
        export_source_ids=ArraySubquery(cited.order_by().values("source_id")),
        export_partner_slugs=ArraySubquery(partners.values("to_organization__slug")),
    )
    compiler = queryset.query.get_compiler(connection=db)
    sql, params = compiler.as_sql()
    # The types COPY's text is parsed into, in C, named as set_types takes them:
    # varchar(300) is varchar, and an array of arrays is one array type.
    types = [
        re.sub(r"(\[\])+$", "[]", re.sub(r"\(.*?\)", "", expression.output_field.db_type(db)))
        for expression, _sql, _alias in compiler.select
    ]
    statement = f"COPY ({sql}) TO STDOUT"
    with db.cursor() as cursor:
        # Logged and counted as one query, as Django logs the queries it runs itself.
        logged = cursor.debug_sql(statement, params) if db.queries_logged else nullcontext()
        with db.wrap_database_errors, logged, cursor.cursor.copy(statement, params) as copy:
            copy.set_types(types)
            for chunk in in_pieces(copy.rows(), chunk_size):
                yield [
                    (
                        row,
                        # Like the selector's public_phones: none where contacts are staff-only.
                        [_PhoneRecord(row[0], kind, None, number) for kind, number in row[-4]]
                        if row[_CONTACTS_PUBLIC]
                        else (),
                        # A type of work created since the export began is skipped.
                        [activities[id_] for id_ in row[-3] if id_ in activities],
                        # A source that is not public is not in the table: left out.
                        [sources[id_] for id_ in row[-2] if id_ in sources] if row[-2] else (),
                        row[-1],
                    )
                    for row in chunk
                ]


def organization_rows(
    result, ctx: columns.ExportContext, chunk_size: int = CHUNK_SIZE
) -> Iterator[dict]:
    """Every row of ``result`` as ``columns.organization_row`` dicts, in the list's order."""
    activities = {a.pk: a for a in ActivityType.objects.only("id", "slug", "name_ru", "name_en")}
    ctx.load_regions()  # before the rows, as one query
    sources = ctx.citations.table  # likewise
    make = _OrganizationRecord._make
    row_of = columns.organization_row
    # Date-time text carries its offset where the database keeps time zones
    # (PostgreSQL); SQLite's is naive, in the connection's time zone (UTC unless
    # DATABASES sets one), where Django's own converter would make it aware.
    db = connections[result.queryset.db]
    stored_tz = db.timezone
    naive_suffix = (
        "+00:00" if not db.features.supports_timezones and stored_tz == datetime.UTC else ""
    )
    parse_date, parse_datetime = datetime.date.fromisoformat, datetime.datetime.fromisoformat
    chunks = (_copied_chunks if db.vendor == "postgresql" else _organization_chunks)(
        result, activities, sources, chunk_size
    )
    dates, updated = _DATES, _UPDATED_AT
    # Closed as soon as the rows stop, even by an error in a row: a COPY or a cursor
    # left open would keep the connection busy.
    with closing(chunks):
        for chunk in chunks:
            for row, phones, kinds_of_work, cited, partners in chunk:
                last_verified, status_since, contacts_as_of, updated_at = row[dates : updated + 1]
                if last_verified is not None:
                    last_verified = parse_date(last_verified)
                if status_since is not None:
                    status_since = parse_date(status_since)
                if contacts_as_of is not None:
                    contacts_as_of = parse_date(contacts_as_of)
                if updated_at is not None:
                    updated_at = parse_datetime(updated_at + naive_suffix)
                    if updated_at.tzinfo is None:
                        updated_at = updated_at.replace(tzinfo=stored_tz)
                org = make(
                    (
                        *row[:dates],
                        last_verified,
                        status_since,
                        contacts_as_of,
                        updated_at,
                        phones,
                        kinds_of_work,
                        cited,
                        partners,
                    )
                )
                yield row_of(org, ctx)


def organization_export(*, result, base_url: str) -> Export:
    """The export of an ``ORGANIZATIONS.search`` result in its language."""
    lang = result.language
    ctx = columns.ExportContext(lang=lang, base_url=base_url, public=True)
    return Export(
        name="organizations",
        columns=columns.COLUMNS,
        headers=columns.headers(lang),
        rows=organization_rows(result, ctx),
        lang=lang,
        specs=columns.COLUMN_SPECS,
        title=translated(lang, gettext_lazy("Organizations")),
    )


# People: the selector's model instances and prefetches, per chunk.


def person_export(*, result, base_url: str) -> Export:
    """The export of a ``PEOPLE.search`` result in its language."""
    lang = result.language
    ctx = columns.ExportContext(lang=lang, base_url=base_url, public=True)
    url = DetailUrl("directory:person_detail", lang=lang, base_url=base_url)
    return Export(
        name="people",
        columns=person_columns.PERSON_COLUMNS,
        headers=person_columns.person_headers(lang),
        rows=(
            person_columns.person_row(person, ctx, url)
            for person in rows_of(result, columns.public_sources_prefetch())
        ),
        lang=lang,
        specs=person_columns.PERSON_COLUMN_SPECS,
        title=translated(lang, gettext_lazy("People")),
    )


# Practical experience: the selector's model instances and prefetches, per chunk.


def practice_export(*, result, base_url: str) -> Export:
    """The export of a ``PRACTICES.search`` result in its language."""
    lang = result.language
    ctx = columns.ExportContext(lang=lang, base_url=base_url, public=True)
    url = DetailUrl("directory:practice_detail", lang=lang, base_url=base_url)
    return Export(
        name="practices",
        columns=practice_columns.PRACTICE_COLUMNS,
        headers=practice_columns.practice_headers(lang),
        rows=(
            practice_columns.practice_row(practice, ctx, url)
            for practice in rows_of(result, columns.public_sources_prefetch())
        ),
        lang=lang,
        specs=practice_columns.PRACTICE_COLUMN_SPECS,
        title=translated(lang, gettext_lazy("Practical experience")),
    )
