"""Streaming CSV and JSON exports of a list: the ``Export``, its writers and its view.

An export is the list page's own search with every row instead of one page, so a list
and its download cannot disagree. An app builds an ``Export`` from a search result:
its name, columns, headers and rows (typed values keyed by the columns, read lazily;
see ``directory.exports`` and ``publications.exports``). Here:

- CSV: UTF-8 with a byte-order mark, RFC 4180 quoting (``csv_line``, the bytes of
  ``csv.writer``), CRLF line ends, formulas neutralised (``listing.columns``);
- JSON: one array of objects keyed by the English column keys, written by orjson;
- ``Export.start()`` reads the first row before the response is made, so an export
  that cannot start is an error response with a status and a message
  (``export_view``), not a broken file;
- then the header (or ``[``) leaves and output is sent in pieces of
  ``ROWS_PER_PIECE`` rows, so memory stays flat. That needs a WSGI server (gunicorn,
  as deployed): under ASGI Django would read a synchronous stream whole;
- Python's cycle collector is paused while a piece is made (``_gc_paused_steps``).

The spreadsheet (``.xlsx``, ``listing.spreadsheet``) is made whole before the
response instead, from the same rows; the response then streams its file.

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
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from operator import itemgetter

import orjson
from django.db import DatabaseError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from rightsnet import conditional
from rightsnet.dberrors import RETRY_AFTER_SECONDS, is_transient
from rightsnet.i18n import current_language, other_language

from . import about, columns, filenames
from .columns import Column

logger = logging.getLogger(__name__)

# Rows read from the database at a time (a server-side cursor on PostgreSQL).
CHUNK_SIZE = 2000
ROWS_PER_PIECE = 500
FORMATS = ("csv", "json", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BOM = "\ufeff"
CRLF = "\r\n"
# Part of every export's ETag: add one when any export's columns, headers or writers
# change, so that a browser's copy made by the old code is not "not modified".
FILE_VERSION = 1


@dataclass
class Export:
    """One list's export: what it is called, its columns and how to make its rows."""

    name: str  # in the file name: "organizations"
    columns: tuple[str, ...]
    headers: list[str]  # in the export's language
    rows: Iterable[dict]  # typed values keyed by ``columns``, read lazily
    lang: str
    # What was filtered, in the file name (``export_view`` sets it).
    filters: filenames.Filters = field(default_factory=filenames.Filters)
    # The columns' definitions (key, label, type...), ``columns`` their keys: the
    # spreadsheet's cell types and its codebook.
    specs: tuple[Column, ...] = ()
    title: str = ""  # the list's name in the export's language: "Организации"
    last_change: datetime.datetime | None = None  # the data's, filled by the view

    def __post_init__(self):
        assert not self.specs or columns.keys_of(self.specs) == tuple(self.columns)

    def filename(self, fmt: str) -> str:
        """``rightsnet-organizations-ru-siberia-2026-11-30-1f0c9a2b.csv``: ``listing.filenames``."""
        return filenames.file_name(self.name, self.lang, self.filters, timezone.localdate(), fmt)

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


def translated(lang: str, text) -> str:
    """A lazy translation as text in ``lang`` (an export's title)."""
    with translation.override(lang):
        return str(text)


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


def in_pieces(rows: Iterable, size: int) -> Iterator[list]:
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
    ``tests/test_listing_exports.py`` check the two agree on awkward and random values.
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
        for piece in in_pieces(export.rows, ROWS_PER_PIECE):
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
    plain_phones = columns.is_plain_phones
    values = itemgetter(*keys)

    def other(value) -> str:
        if value.__class__ is list:
            try:
                text = join(value)  # several texts, the usual list
            except TypeError:
                text = join(map(str, value))
        else:
            text = cell_text(value)
        if text and text[0] in formula_starts and not plain_phones(text):
            return prefix + text
        return text

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
                            if value < "A"
                            and value
                            and value[0] in formula_starts
                            and not plain_phones(value)
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
        for piece in in_pieces(export.rows, ROWS_PER_PIECE):
            data = separator + b",\n".join(map(orjson.dumps, piece))
            separator = b",\n"
            yield data
    except Exception as error:
        logger.exception("JSON export of %s failed while streaming", export.name)
        yield b"\n" + orjson.dumps({"error": incomplete_message(export.lang, error)}) + b"\n"
        raise
    yield b"\n]\n"


def rows_of(result, *prefetches) -> Iterator:
    """The model instances of a search result, with its prefetches and ``prefetches``
    (the export's own), a chunk at a time."""
    return result.queryset.prefetch_related(*prefetches).iterator(chunk_size=CHUNK_SIZE)


@require_safe
def export_view(request, format: str, *, listing):
    """A listing's download: the list page's search (``listing.search``), every row,
    made into an ``Export`` by ``listing.export(result=, base_url=)``.

    Conditional (``rightsnet.conditional``): the ETag is the data version's with the
    address, the cleaned query, the language, the format, ``FILE_VERSION`` and the
    day (the file name has it); a request that matches is answered 304 after the
    query string is cleaned, without a query of the rows."""
    if format not in FORMATS:
        raise Http404("Unknown export format")
    language = current_language()
    try:
        cleaned = listing.clean(request.GET, language)
        version = listing.cache.state()
    except DatabaseError as error:
        return _export_failed(request, error, language)
    key = (
        request.path,
        filenames.canonical_query(cleaned.params),
        language,
        format,
        FILE_VERSION,
        timezone.localdate().isoformat(),
    )
    return conditional.respond(
        request,
        version,
        key,
        lambda: _export_response(request, format, listing, cleaned),
        content_type=CONTENT_TYPES[format],
    )


def _export_response(request, format: str, listing, cleaned):
    """The export's streamed response, or the error page when it cannot start."""
    language = cleaned.language
    try:
        result = listing.search(request.GET, language, cleaned=cleaned)
        total = result.total
        export = listing.export(result=result, base_url=request.build_absolute_uri("/"))
        export.filters = filenames.describe(listing.facets, result.params)
        # The first queries run now: an export that cannot start fails before its first byte.
        export.start()
    except DatabaseError as error:
        return _export_failed(request, error, language)
    if request.method == "HEAD":
        # No body to send: the export could start, which is what HEAD can tell; its
        # query is let go of now rather than when the server closes the response.
        export.close()
        response = StreamingHttpResponse(iter(()), content_type=CONTENT_TYPES[format])
    elif format == "xlsx":
        # The whole file is made now, before the response: a database error while
        # reading the rows is still an error response (listing.spreadsheet).
        from . import spreadsheet  # XlsxWriter is loaded by the first spreadsheet only

        export.last_change = about.last_change(listing)
        about_rows = partial(
            about.about_file,
            export,
            list_url=request.build_absolute_uri(request.path.removesuffix("export.xlsx"))
            + (result.querystring if result.querystring != "?" else ""),
            filters=result.active_filters,
            made=timezone.now(),
        )
        try:
            file = spreadsheet.make_file(export, lambda rows: about_rows(rows=rows))
        except DatabaseError as error:
            return _export_failed(request, error, language)
        response = FileResponse(file, content_type=CONTENT_TYPES[format])
    else:
        response = StreamingHttpResponse(export.stream(format), content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{export.filename(format)}"'
    response["X-Content-Type-Options"] = "nosniff"
    # How many rows the download will have (the list page shows the same figure).
    response["X-Total-Count"] = str(total)
    return response


def _export_failed(request, error: DatabaseError, language: str):
    """503 with Retry-After when trying again can help (``is_transient``), else 500.

    The page is made without the database (it may be the reason) and says "try again"
    only in the first case.
    """
    transient = is_transient(error)
    logger.error("Export %s could not start", request.path, exc_info=error)
    response = render(
        request,
        "listing/export_failed.html",
        {
            "transient": transient,
            "language": language,
            "languages": [language, other_language(language)],
        },
        status=503 if transient else 500,
    )
    response["Cache-Control"] = "no-store"
    if transient:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
