"""Streaming CSV and JSON exports of the public lists (organizations, people, publications).

An export is the list page's own search (``organization_search``, ``person_search``,
``publication_search``) with every row instead of one page: the same parameters,
filters, facets and sort, so a list and its download cannot disagree. Rows are
built by the column modules (``directory.columns``, ``directory.person_columns``,
``publications.columns``) and written as they are read:

- the rows are read a chunk of ``CHUNK_SIZE`` at a time (a server-side cursor); for
  each chunk the related rows (phones, types of work; or the selector's prefetches)
  are read in one query per relation, so the number of queries depends on the number
  of chunks, never on the number of rows (fixed below ``CHUNK_SIZE`` rows);
- organizations on PostgreSQL instead come in one ``COPY (...) TO STDOUT`` that
  carries each row's phones and types of work as arrays (``_copied_chunks``): the
  server makes rows while this process writes them, on the other core;
- organizations are read as plain values into namedtuples (no model instances), with
  every region's path computed once: model instances cost several times more per row;
- CSV: UTF-8 with a byte-order mark, RFC 4180 quoting (``csv_line``, the bytes of
  ``csv.writer``), CRLF line ends, headers and labels in the export's language,
  formulas neutralised (``columns.neutralise``);
- JSON: one array of objects keyed by the English column keys; numbers are
  numbers, empty values ``null`` or ``""``, several values a list of strings;
- ``Export.start()`` runs the export's first queries (up to its first chunk of rows)
  before the response is made, so an export that cannot start is an error response
  with a status and a message (``directory/export_views.py``), not a broken file;
- then the header (or ``[``) leaves and output is sent in pieces of
  ``ROWS_PER_PIECE`` rows, so memory stays flat. That needs a WSGI server (gunicorn,
  as deployed): under ASGI Django would read a synchronous stream whole;
- Python's cycle collector is paused while a piece is made (``_gc_paused_steps``).

A failure later, while streaming, cannot be reported with a status code any more
(the ``200`` has left). The export then ends with an explicit error line (CSV: a row
whose only cell starts with ``ERROR``; JSON: an ``{"error": ...}`` object after the
last row and no closing ``]``, so the file no longer parses), which asks to download
it again only when the error was transient (``rightsnet.dberrors``), logs the
exception, and re-raises it so that the server aborts the response: a browser or
``curl`` reports an incomplete download rather than a complete-looking file.
"""

from __future__ import annotations

import datetime
import gc
import json
import logging
import re
from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass
from itertools import chain, islice
from operator import itemgetter

import orjson
from django.db import connection, connections
from django.db.models import BooleanField, CharField, F, Func, OuterRef, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI
from django.utils import timezone, translation
from django.utils.translation import gettext

from publications import columns as publication_columns
from rightsnet.dberrors import is_transient
from rightsnet.facets import SearchResult

from . import columns, person_columns
from .models import ActivityType, Organization, Phone

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
ROWS_PER_PIECE = 500
FORMATS = ("csv", "json")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
BOM = "\ufeff"
CRLF = "\r\n"


@dataclass
class Export:
    """One list's export: what it is called, its columns and how to make its rows."""

    name: str  # in the file name: "organizations"
    columns: tuple[str, ...]
    headers: list[str]  # in the export's language
    rows: Iterable[dict]  # typed values keyed by ``columns``, read lazily
    lang: str

    def filename(self, fmt: str) -> str:
        return f"rightsnet-{self.name}-{self.lang}-{timezone.localdate().isoformat()}.{fmt}"

    def start(self) -> None:
        """Run the first queries now: read the first row (and with it the first chunk).

        A database error raises here, before any byte of the file is made, where the
        view can still answer with a status and a message. The row read is put back
        in front of the others; the rows are closed when the stream is. Till the
        response is read to the end or closed, their query (on PostgreSQL a COPY)
        holds the connection: a caller that reads only the headers closes it.
        """
        rows = iter(self.rows)
        try:
            with _gc_paused():  # the first row is part of the first piece
                first = next(rows)
        except StopIteration:
            self.rows = ()
            return
        except BaseException:
            _close(rows)
            raise
        self.rows = _Started(first, rows)

    def close(self) -> None:
        """Let go of the rows' query (a cursor or a COPY) when they will not be read."""
        _close(self.rows)

    def stream(self, fmt: str) -> Iterator[bytes]:
        pieces = stream_json(self) if fmt == "json" else stream_csv(self)
        return _Stream(_gc_paused_steps(pieces), self.rows)


def _close(rows) -> None:
    close = getattr(rows, "close", None)
    if close is not None:
        close()


class _Started:
    """Rows whose first one was read by ``Export.start()``: it, then the rest."""

    def __init__(self, first, rest: Iterator):
        self.first, self.rest = first, rest

    def __iter__(self) -> Iterator:
        return chain((self.first,), self.rest)

    def close(self) -> None:
        _close(self.rest)


class _Stream:
    """The response's bytes; closing it closes the rows too, even before the first piece.

    A generator that never ran ignores ``close()``, so a response closed unread (a
    HEAD request, a client gone at once) would otherwise leave a started export's
    cursor or COPY open on the connection.
    """

    def __init__(self, pieces: Iterator[bytes], rows):
        self.pieces, self.rows = pieces, rows

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        return next(self.pieces)

    def close(self) -> None:
        try:
            self.pieces.close()
        finally:
            _close(self.rows)


def _gc_paused_steps(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """``pieces``, with Python's cycle collector paused while each piece is made.

    Making a piece allocates many short-lived rows but no reference cycles, so
    reference counting frees them all; the collector, triggered by the allocations
    alone, would only walk the heap in vain (13-20% of an export's time, measured).
    It runs again between pieces, and it is restored even when making a piece fails.
    Closing this stream (a client that goes away) closes ``pieces`` and its cursor.
    """
    try:
        while True:
            with _gc_paused():
                piece = next(pieces, None)
            if piece is None:
                return
            yield piece
    finally:
        pieces.close()


@contextmanager
def _gc_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pieces(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while piece := list(islice(iterator, size)):
        yield piece


def incomplete_message(lang: str, error: BaseException) -> str:
    """The last line of an export that failed midway: "again" only where it can help."""
    with translation.override(lang):
        if is_transient(error):
            return gettext(
                "ERROR: the export stopped before the end and this file is incomplete. "
                "Please download it again."
            )
        return gettext(
            "ERROR: the export stopped before the end and this file is incomplete. "
            "The fault is on our side and has been recorded."
        )


def csv_line(cells: list[str]) -> str:
    """One CSV record, RFC 4180, byte for byte as ``csv.writer(lineterminator="\\r\\n")``.

    A cell with a comma, a double quote or a line break is quoted, its quotes doubled
    (``csv.QUOTE_MINIMAL``); a record of one empty cell is ``""``. Written here rather
    than by ``csv.writer``, which copies every character one at a time and took about a
    quarter of an export's time (more than building the row); the tests in
    ``tests/directory/test_export.py`` check the two agree on awkward and random values.
    """
    if len(cells) == 1 and not cells[0]:
        return '""'
    return ",".join(
        [
            '"' + cell.replace('"', '""') + '"'
            if '"' in cell or "," in cell or "\n" in cell or "\r" in cell
            else cell
            for cell in cells
        ]
    )


def stream_csv(export: Export) -> Iterator[bytes]:
    """The export as CSV bytes, header first, then pieces of ``ROWS_PER_PIECE`` rows."""
    yield (BOM + csv_line(export.headers) + CRLF).encode("utf-8")
    line = _line_function(export.columns)
    try:
        for piece in _pieces(export.rows, ROWS_PER_PIECE):
            lines = [line(row) for row in piece]
            lines.append("")  # the last record's line end
            yield CRLF.join(lines).encode("utf-8")
    except Exception as error:
        logger.exception("CSV export of %s failed while streaming", export.name)
        yield (csv_line([incomplete_message(export.lang, error)]) + CRLF).encode("utf-8")
        raise


def _line_function(keys: tuple[str, ...]) -> Callable[[dict], str]:
    """``csv_line(columns.csv_cells(row))`` for rows keyed by ``keys``, in one pass.

    Each value becomes its cell text (``columns.cell_text``, text inlined), is
    neutralised (``columns.neutralise``) and quoted (``csv_line``) in the same step,
    without a call or an intermediate list per cell: this runs once per exported row.
    A test compares whole exports with ``csv.writer`` over ``columns.csv_cells``.
    """
    cell_text = columns.cell_text
    join = columns.MULTI_SEPARATOR.join
    # Every formula prefix is one character, so a set lookup of the first one suffices.
    formula_starts = frozenset(columns.FORMULA_PREFIXES)
    assert max(formula_starts) < "A"  # see line() below
    prefix = columns.NEUTRALISING_PREFIX
    values = itemgetter(*keys)

    def other(value) -> str:
        if value.__class__ is list:
            try:
                text = join(value)  # several texts, the usual list
            except TypeError:
                text = join(map(str, value))
        else:
            text = cell_text(value)
        return prefix + text if text and text[0] in formula_starts else text

    if len(keys) == 1:  # a lone empty cell is written '""' (csv_line)
        return lambda row: csv_line([other(values(row))])

    def line(row: dict) -> str:
        return ",".join(
            [
                '"' + cell.replace('"', '""') + '"'
                if '"' in cell or "," in cell or "\n" in cell or "\r" in cell
                else cell
                for value in values(row)
                for cell in (
                    (
                        # value < "A": empty, or its first character sorts before "A", as
                        # every formula prefix does (a C comparison, most texts stop here).
                        (
                            prefix + value
                            if value < "A" and value and value[0] in formula_starts
                            else value
                        )
                        if value.__class__ is str
                        else ""
                        if value is None
                        else str(value)
                        if value.__class__ is int and value >= 0
                        else other(value)
                    ),
                )
            ]
        )

    return line


def stream_json(export: Export) -> Iterator[bytes]:
    """The export as one JSON array, ``[`` first, then pieces of ``ROWS_PER_PIECE`` objects.

    Objects are written by orjson: the bytes of ``json.dumps(row, ensure_ascii=False,
    separators=(",", ":"))`` in UTF-8 (a test compares the two), in a tenth of the time.
    """
    yield b"["
    separator = b"\n"
    try:
        for piece in _pieces(export.rows, ROWS_PER_PIECE):
            data = separator + b",\n".join(map(orjson.dumps, piece))
            separator = b",\n"
            yield data
    except Exception as error:
        logger.exception("JSON export of %s failed while streaming", export.name)
        yield b"\n" + orjson.dumps({"error": incomplete_message(export.lang, error)}) + b"\n"
        raise
    yield b"\n]\n"


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
    ("contacts_public", "contacts_public"),
    # Dates as the database's own ISO text, made dates again in C (see organization_rows).
    ("last_verified", Cast("last_verified", TextField())),
    ("updated_at", Cast("updated_at", TextField())),
)
_CONTACTS_PUBLIC = len(ORGANIZATION_VALUES) - 3
# What organization_row reads, without a model instance: a tuple is built in C.
_OrganizationRecord = namedtuple(
    "_OrganizationRecord",
    [name for name, _value in ORGANIZATION_VALUES] + ["public_phones", "public_activities"],
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
    chunk: list[tuple], activities: dict[int, ActivityType]
) -> tuple[dict[int, list], dict[int, list]]:
    """(organization id -> public phones, organization id -> types of work) of a chunk.

    One query each, whatever the size of the chunk; like the selector's public_phones,
    none where contacts are staff-only.
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
    kinds_of_work: defaultdict[int, list] = defaultdict(list)
    for org_id, activity_id in _raw_rows(
        Organization.activities.through.objects.filter(
            _in_ids("organization_id", [row[0] for row in chunk])
        ).values_list("organization_id", "activitytype_id")
    ):
        # A type of work created since the export began is not in its table: skipped.
        if (activity := activities.get(activity_id)) is not None:
            kinds_of_work[org_id].append(activity)
    return phones, kinds_of_work


def _organization_values(result: SearchResult, **arrays):
    """``result``'s queryset as plain values: ``ORGANIZATION_VALUES``, then ``arrays``."""
    return (
        # rewrite(False): plain Django values (modeltranslation's fallback wrapper is
        # slow and not needed, every language's column is asked for by name).
        result.queryset.rewrite(False)
        .prefetch_related(None)
        .annotate(**arrays)
        .values_list(*(value for _name, value in ORGANIZATION_VALUES), *arrays)
    )


def _organization_chunks(
    result: SearchResult, activities: dict[int, ActivityType]
) -> Iterator[list]:
    """The rows of ``result`` a chunk at a time, as ``(row, phones, types of work)``.

    ``row`` holds the values of ``ORGANIZATION_VALUES`` as the driver gives them; the
    phones and types of work of a chunk are read in one query each (``_related_rows``).
    """
    for chunk in _raw_chunks(_organization_values(result), CHUNK_SIZE):
        phones, kinds_of_work = _related_rows(chunk, activities)
        phones_of, kinds_of = phones.get, kinds_of_work.get
        yield [(row, phones_of(row[0], ()), kinds_of(row[0], ())) for row in chunk]


def _copied_chunks(result: SearchResult, activities: dict[int, ActivityType]) -> Iterator[list]:
    """PostgreSQL: ``_organization_chunks``, read with one ``COPY (...) TO STDOUT``.

    Each row brings its phones and types of work as arrays. The server sends rows as
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
    queryset = _organization_values(
        result,
        export_phones=ArraySubquery(phones.values("export_phone")),
        export_activity_ids=ArraySubquery(through.order_by().values("activitytype_id")),
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
            for chunk in _pieces(copy.rows(), CHUNK_SIZE):
                yield [
                    (
                        row,
                        # Like the selector's public_phones: none where contacts are staff-only.
                        [_PhoneRecord(row[0], kind, None, number) for kind, number in row[-2]]
                        if row[_CONTACTS_PUBLIC]
                        else (),
                        # A type of work created since the export began is skipped.
                        [activities[id_] for id_ in row[-1] if id_ in activities],
                    )
                    for row in chunk
                ]


def organization_rows(result: SearchResult, ctx: columns.ExportContext) -> Iterator[dict]:
    """Every row of ``result`` as ``columns.organization_row`` dicts, in the list's order."""
    activities = {a.pk: a for a in ActivityType.objects.only("id", "name_ru", "name_en")}
    ctx.load_regions()  # before the rows, as one query
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
        result, activities
    )
    dates = len(ORGANIZATION_VALUES) - 2  # last_verified, updated_at
    # Closed as soon as the rows stop, even by an error in a row: a COPY or a cursor
    # left open would keep the connection busy.
    with closing(chunks):
        for chunk in chunks:
            for row, phones, kinds_of_work in chunk:
                last_verified, updated_at = row[dates], row[dates + 1]
                if last_verified is not None:
                    last_verified = parse_date(last_verified)
                if updated_at is not None:
                    updated_at = parse_datetime(updated_at + naive_suffix)
                    if updated_at.tzinfo is None:
                        updated_at = updated_at.replace(tzinfo=stored_tz)
                org = make((*row[:dates], last_verified, updated_at, phones, kinds_of_work))
                yield row_of(org, ctx)


def organization_export(*, result: SearchResult, base_url: str) -> Export:
    """The export of an ``organization_search`` result in its language."""
    lang = result.language
    ctx = columns.ExportContext(lang=lang, base_url=base_url, public=True)
    return Export(
        name="organizations",
        columns=columns.COLUMNS,
        headers=columns.headers(lang),
        rows=organization_rows(result, ctx),
        lang=lang,
    )


# People and publications: the selector's model instances and prefetches, per chunk.


def _instances(result: SearchResult) -> Iterator:
    return result.queryset.iterator(chunk_size=CHUNK_SIZE)


def person_export(*, result: SearchResult, base_url: str) -> Export:
    """The export of a ``person_search`` result in its language."""
    lang = result.language
    ctx = columns.ExportContext(lang=lang, base_url=base_url, public=True)
    url = person_columns.DetailUrl("directory:person_detail", lang=lang, base_url=base_url)
    return Export(
        name="people",
        columns=person_columns.PERSON_COLUMNS,
        headers=person_columns.person_headers(lang),
        rows=(person_columns.person_row(person, ctx, url) for person in _instances(result)),
        lang=lang,
    )


def publication_export(*, result: SearchResult, base_url: str) -> Export:
    """The export of a ``publication_search`` result in its language."""
    lang = result.language
    ctx = publication_columns.PublicationContext(lang=lang, base_url=base_url)
    return Export(
        name="publications",
        columns=publication_columns.PUBLICATION_COLUMNS,
        headers=publication_columns.publication_headers(lang),
        rows=(
            publication_columns.publication_row(publication, ctx)
            for publication in _instances(result)
        ),
        lang=lang,
    )
