"""What every list's export columns share: titles, cell text, formulas, addresses.

An app's column module (``directory.columns``, ``directory.person_columns``,
``publications.columns``) turns one row into typed values keyed by its columns;
the helpers here make those values cells the same way for every list.

Formula injection (OWASP): a CSV cell that a spreadsheet could run as a formula gets a
leading apostrophe (``neutralise``), so that the spreadsheet shows it as text and never
evaluates it. That is a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return, except telephone numbers (``is_plain_phones``): a ``+`` then only digits,
spaces, hyphens and brackets, several numbers joined with ``"; "``, and not digits alone.
Such a cell has no letter, quote, ``|`` or ``!``, so no function, reference or DDE call can
be in it, and LibreOffice's default import keeps it as text: ``+7 095 206-81-71`` is
written as it is, while ``+74951234567`` (a number to a spreadsheet, which would drop the
plus) and ``=HYPERLINK(...)`` become ``'+74951234567`` and ``'=HYPERLINK(...)``.
``unneutralise`` removes the apostrophe again (the staff import does); JSON values and
the other cells are never changed. What LibreOffice does with each kind of value is in
``tests/test_libreoffice.py`` and ``docs/architecture.md``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone, translation

MULTI_SEPARATOR = "; "
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_PREFIX = "'"
# One or more telephone numbers, the first with its plus (see ``is_plain_phones``).
PLAIN_PHONES = re.compile(r"\+[0-9][0-9 ()-]*(?:; \+?[0-9][0-9 ()-]*)*")
SLUG_PLACEHOLDER = "slug-placeholder"


# What a column holds (``Column.type``): the Table Schema type a data package gives it,
# and how a spreadsheet cell is written.
INTEGER, YEAR, STRING, BOOLEAN = "integer", "year", "string", "boolean"
DATE, DATETIME, PARTIAL_DATE, URL, EMAIL, CODE = (
    "date", "datetime", "partial_date", "url", "email", "code",
)  # fmt: skip
TYPES = (INTEGER, YEAR, STRING, BOOLEAN, DATE, DATETIME, PARTIAL_DATE, URL, EMAIL, CODE)


@dataclass(frozen=True)
class Column:
    """One column of an export, as the files, the codebook and the data package see it.

    - ``key``: the header of every file in both languages, and the JSON key (the one
      header rule: keys, never labels, so a Russian and an English file join);
    - ``label``: a readable name in the page's language (the codebook, the import's
      recognition of older files with labelled headers);
    - ``type``: one of ``TYPES``; ``many``: several values, a list in JSON and the
      spreadsheet's cell joined with ``"; "`` (``MULTI_SEPARATOR``) as in the CSV;
    - ``meaning``: one sentence for the codebook; ``example``: a value as the CSV shows it;
    - ``codes``: for a code column, the codes it can hold (a callable, read when asked).
    """

    key: str
    label: object  # a lazy translation
    type: str
    meaning: object  # a lazy translation
    many: bool = False
    example: str = ""
    codes: Callable[[], list[str]] | None = None

    def __post_init__(self):
        assert self.type in TYPES, self.type


def keys_of(columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(column.key for column in columns)


def column_headers(columns: tuple[Column, ...], lang: str) -> list[str]:
    """The header row of an export: the column keys, the same in every language."""
    return [column.key for column in columns]


def column_labels(columns: tuple[Column, ...], lang: str) -> list[str]:
    """The columns' readable labels in ``lang``, in their order."""
    with translation.override(lang):
        return [str(column.label) for column in columns]


def choice_labels(choices: type, lang: str) -> dict[str, str]:
    """value -> label in ``lang`` for a TextChoices class."""
    with translation.override(lang):
        return {value: str(label) for value, label in choices.choices}


def is_plain_phones(text: str) -> bool:
    """``+7 095 206-81-71`` or ``+7 (495) 123-45-67; 095-206-85-07``: telephone numbers, in
    which no function, cell reference or program call can be, and which LibreOffice's
    default import keeps as text.

    Digits alone after the plus (``+74951234567``) are a number to a spreadsheet, which
    would drop the plus, so they are not plain.
    """
    return PLAIN_PHONES.fullmatch(text) is not None and not text[1:].isdigit()


def neutralise(text: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    if text and text.startswith(FORMULA_PREFIXES) and not is_plain_phones(text):
        return NEUTRALISING_PREFIX + text
    return text


def unneutralise(text: str) -> str:
    """Reverse ``neutralise``: drop one apostrophe before a formula's first character.

    Also right for files written before telephone numbers were left as they are
    (``'+7 095 206-81-71``).
    """
    if text.startswith(NEUTRALISING_PREFIX) and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def cell_text(value) -> str:
    """A typed value as the plain text of a cell (before neutralising); a boolean is
    ``1`` or ``0``, the same in every language, and sums in a spreadsheet."""
    if value is None:
        return ""
    if value is True or value is False:
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return MULTI_SEPARATOR.join(map(str, value))
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def csv_cells(row: dict, columns: tuple[str, ...]) -> list[str]:
    """The CSV cells of a typed row, in column order: ``"; "``-joined and neutralised."""
    return [neutralise(cell_text(row[key])) for key in columns]


def iso_local(value) -> str | None:
    """An aware date-time as ISO 8601 in the site's time zone, to the second."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


class DetailUrl:
    """Absolute detail-page addresses in one language, with one ``reverse()`` per export."""

    def __init__(self, url_name: str, *, lang: str, base_url: str = ""):
        with translation.override(lang):
            address = base_url.rstrip("/") + reverse(url_name, kwargs={"slug": SLUG_PLACEHOLDER})
        self.prefix, _placeholder, self.suffix = address.partition(SLUG_PLACEHOLDER)

    def __call__(self, slug: str) -> str:
        return self.prefix + slug + self.suffix
