"""The spreadsheet download (``export.xlsx``): the rows of an ``Export`` as typed cells.

XlsxWriter writes the workbook in ``constant_memory`` mode: each row goes to a
temporary file as soon as it is written, so memory stays flat whatever the rows. The
whole file is made before the response starts (``make_file``): a database error then
becomes the export's error response, not a broken file. It is made in an unlinked
temporary file, which the response streams and closes; XlsxWriter's own temporary
files live in a temporary folder removed when the file is made or has failed.

Cells follow the column's ``listing.columns.Column.type``:

- integer, year: numbers; boolean: the number 1 or 0, as in the CSV;
- date: a date (``yyyy-mm-dd``); datetime: a date and time in the site's time zone
  (``yyyy-mm-dd hh:mm:ss``), as the CSV's text gives it; a date before 1900, which a
  spreadsheet cannot hold as a date, stays text;
- everything else is text, written with ``write_string`` (never ``write``, which
  would make ``=...`` a formula and ``01001`` a number): postal codes keep their
  zeros, phones have no apostrophe, addresses are not links. Several values are
  joined with ``"; "``; a text longer than a cell holds is cut with a marker
  (``listing.about.CUT_MARKER``).

The data sheet has a bold, frozen header row of column keys, an autofilter over the
rows and column widths from the header and the first ``SAMPLE_ROWS`` rows (set after
the rows: XlsxWriter writes the column widths when the file is closed). The second
sheet is «О файле» / "About this file" (``listing.about``).
"""

from __future__ import annotations

import datetime
import math
import tempfile
from collections.abc import Callable
from operator import itemgetter
from typing import IO

import xlsxwriter
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import about, columns
from .exports import ROWS_PER_PIECE, Export, _gc_paused, in_pieces

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAMPLE_ROWS = 100
MIN_WIDTH, MAX_WIDTH = 8, 60
# About this file: column widths (characters); the top part's values span B:F.
ABOUT_WIDTHS = (30, 30, 16, 40, 70, 36)
LINE_HEIGHT = 15  # points per line of text, at the default font
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def make_file(export: Export, about_rows: Callable[[int], list]) -> IO[bytes]:
    """The workbook of ``export`` in an unlinked temporary file, rewound; every row is
    read now. ``about_rows(rows)`` gives the About sheet's rows (``about.about_file``)
    for the number of rows written. The export's rows are closed in any case."""
    file = tempfile.TemporaryFile()
    try:
        with tempfile.TemporaryDirectory(prefix="rightsnet-xlsx-") as folder:
            write_workbook(export, file, about_rows, folder=folder)
    except BaseException:
        file.close()
        raise
    finally:
        export.close()
    file.seek(0)
    return file


def write_workbook(export: Export, file, about_rows: Callable[[int], list], *, folder: str):
    workbook = xlsxwriter.Workbook(
        file,
        {
            "constant_memory": True,
            "tmpdir": folder,
            # write_string is used for every text; these keep any other path literal too.
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    with translation.override(export.lang):
        about_name = gettext("About this file")
    workbook.set_properties({"title": f"rightsnet: {export.title}", "author": "rightsnet"})
    formats = {
        "bold": workbook.add_format({"bold": True}),
        "date": workbook.add_format({"num_format": about.DATE_FORMAT}),
        "datetime": workbook.add_format({"num_format": about.DATETIME_FORMAT}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "bold_top": workbook.add_format({"bold": True, "valign": "top"}),
    }
    data = workbook.add_worksheet(sheet_name(export.title or export.name))
    rows = write_rows(data, export, formats)
    write_about(workbook.add_worksheet(sheet_name(about_name)), export, about_rows(rows), formats)
    workbook.close()


def sheet_name(title: str) -> str:
    """A worksheet name a spreadsheet accepts: no ``[]:*?/\\``, at most 31 characters."""
    return title.translate(_SHEET_NAME_FORBIDDEN).strip()[:31] or "Sheet"


def fit(text: str) -> str:
    """``text``, cut with ``CUT_MARKER`` if it is longer than a cell holds (UTF-16 units)."""
    if len(text) <= about.CELL_LIMIT // 2 or _units(text) <= about.CELL_LIMIT:
        return text
    room = about.CELL_LIMIT - len(about.CUT_MARKER)
    kept = text[:room]
    while (extra := _units(kept) - room) > 0:  # characters beyond the BMP count twice
        kept = kept[: -math.ceil(extra / 2)]
    return kept + about.CUT_MARKER


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _local_naive(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def cell_writer(spec: columns.Column, sheet, formats) -> Callable[[int, int, object], int]:
    """``write(row, col, value)`` for the column ``spec``: a typed cell, or nothing for
    an empty value; returns the width the cell needs (characters)."""
    write_string, write_number, write_datetime = (
        sheet.write_string,
        sheet.write_number,
        sheet.write_datetime,
    )
    cell_text, separator = columns.cell_text, columns.MULTI_SEPARATOR

    def text(row: int, col: int, value) -> int:
        if value is None or value == "" or value == []:
            return 0
        if value.__class__ is not str:
            value = separator.join(map(str, value)) if value.__class__ is list else cell_text(value)
        write_string(row, col, fit(value))
        return max(map(len, value.splitlines() or [""]))

    kind = spec.type
    if spec.many:
        return text
    if kind in (columns.INTEGER, columns.YEAR):

        def number(row: int, col: int, value) -> int:
            if value.__class__ is int or value.__class__ is float:
                write_number(row, col, value)
                return len(str(value))
            return text(row, col, value)

        return number
    if kind == columns.BOOLEAN:

        def boolean(row: int, col: int, value) -> int:
            if value is True or value is False:
                write_number(row, col, 1 if value else 0)
                return 1
            return text(row, col, value)

        return boolean
    if kind == columns.DATE:
        date_format = formats["date"]

        def date(row: int, col: int, value) -> int:
            try:
                day = datetime.date.fromisoformat(value) if value.__class__ is str else value
            except ValueError:
                day = None
            if isinstance(day, datetime.date) and day.year >= 1900:
                if isinstance(day, datetime.datetime):
                    day = _local_naive(day).date()
                write_datetime(row, col, day, date_format)
                return 10
            return text(row, col, value)

        return date
    if kind == columns.DATETIME:
        datetime_format = formats["datetime"]

        def moment(row: int, col: int, value) -> int:
            try:
                when = datetime.datetime.fromisoformat(value) if value.__class__ is str else value
            except ValueError:
                when = None
            if isinstance(when, datetime.datetime) and when.year >= 1900:
                write_datetime(row, col, _local_naive(when), datetime_format)
                return 19
            return text(row, col, value)

        return moment
    return text


def write_rows(sheet, export: Export, formats) -> int:
    """The header and every row of ``export`` on ``sheet``; how many rows were written."""
    keys = export.columns
    specs = export.specs or tuple(columns.Column(key, key, columns.STRING, "") for key in keys)
    for col, key in enumerate(keys):
        sheet.write_string(0, col, key, formats["bold"])
    widths = [len(key) + 2 for key in keys]  # room for the filter button
    writers = list(enumerate(cell_writer(spec, sheet, formats) for spec in specs))
    values = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    row = 0
    for piece in in_pieces(export.rows, ROWS_PER_PIECE):
        with _gc_paused():  # as the CSV's pieces (listing.exports)
            for item in piece:
                row += 1
                cells = values(item)
                if row <= SAMPLE_ROWS:
                    for col, write in writers:
                        widths[col] = max(widths[col], write(row, col, cells[col]))
                else:
                    for col, write in writers:
                        write(row, col, cells[col])
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 1, MIN_WIDTH), MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, row, len(keys) - 1)
    return row


def _lines(text: str, width: int) -> int:
    """About how many lines ``text`` takes wrapped in ``width`` characters."""
    return sum(max(1, math.ceil(len(line) / width)) for line in text.splitlines() or [""])


def write_about(sheet, export: Export, rows: list[tuple[str, object]], formats) -> None:
    """The About sheet: the file's description (label, value over B:F), then the codebook.

    Row heights are set from the texts' length, as a spreadsheet does not grow a row
    for a wrapped text in merged cells."""
    for col, width in enumerate(ABOUT_WIDTHS):
        sheet.set_column(col, col, width)
    span = sum(ABOUT_WIDTHS[1:])
    wrap, bold = formats["wrap"], formats["bold_top"]
    line = 0
    for label, value in rows:
        sheet.write_string(line, 0, label, bold)
        sheet.merge_range(line, 1, line, len(ABOUT_WIDTHS) - 1, "", wrap)
        if isinstance(value, int):
            sheet.write_number(line, 1, value, wrap)
        else:
            value = fit(str(value))
            sheet.set_row(line, LINE_HEIGHT * _lines(value, span))
            sheet.write_string(line, 1, value, wrap)
        line += 1
    line += 1
    for col, title in enumerate(about.codebook_header(export.lang)):
        sheet.write_string(line, col, title, formats["bold"])
    for entry in about.codebook(export):
        line += 1
        height = max(_lines(cell, ABOUT_WIDTHS[col]) for col, cell in enumerate(entry))
        if height > 1:
            sheet.set_row(line, LINE_HEIGHT * height)
        for col, cell in enumerate(entry):
            if cell:
                sheet.write_string(line, col, fit(cell), wrap)
