"""What a downloaded spreadsheet says about itself: its «О файле» / "About this file" sheet.

``about_file`` gives the rows of the sheet's top part (label, value): what the file is,
the list's address with its filters, the filters in words (the list's chips), the
number of rows, when it was made, the data's last change, the licence, how to cite
it and how its cells are written. ``codebook`` gives the table of its columns (key,
label, type, how a cell of that type is written, meaning, example), in the file's
language. The spreadsheet writer (``listing.spreadsheet``) lays them out.

The licence is read from ``settings.DATA_LICENCE_NAME`` and ``DATA_LICENCE_URL``
(default CC BY 4.0); the data's last change from the listing's ``cache``
(``Listing.cache.last_change()``, when it has one).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext, pgettext_lazy

from . import columns

DEFAULT_LICENCE_NAME = "CC BY 4.0"
DEFAULT_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# A text cell holds at most this many characters (UTF-16 units), in Excel and Calc.
CELL_LIMIT = 32_767
CUT_MARKER = "[…]"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

# How the spreadsheet writes a cell of each ``Column.type``.
TYPE_WORDS = {
    columns.INTEGER: pgettext_lazy("column type", "whole number"),
    columns.YEAR: pgettext_lazy("column type", "year, a number"),
    columns.STRING: pgettext_lazy("column type", "text"),
    columns.BOOLEAN: pgettext_lazy("column type", "yes or no: the number 1 or 0"),
    columns.DATE: pgettext_lazy("column type", "date (yyyy-mm-dd)"),
    columns.DATETIME: pgettext_lazy(
        "column type", "date and time in the site's time zone (yyyy-mm-dd hh:mm:ss)"
    ),
    columns.PARTIAL_DATE: pgettext_lazy(
        "column type", "date known to a year, a month or a day, as text: 1997, 1997-01, 1997-01-25"
    ),
    columns.URL: pgettext_lazy("column type", "web address, as text"),
    columns.EMAIL: pgettext_lazy("column type", "email address, as text"),
    columns.CODE: pgettext_lazy("column type", "code, the same in every language, as text"),
}


def licence() -> tuple[str, str]:
    """(name, address) of the data's licence."""
    return (
        getattr(settings, "DATA_LICENCE_NAME", "") or DEFAULT_LICENCE_NAME,
        getattr(settings, "DATA_LICENCE_URL", "") or DEFAULT_LICENCE_URL,
    )


def last_change(listing) -> datetime.datetime | None:
    """When the listed data last changed, as its cache records it (None: not recorded)."""
    read = getattr(listing.cache, "last_change", None)
    return read() if callable(read) else None


def local_text(moment: datetime.datetime | None) -> str:
    """``2026-11-30 14:05:12 (Europe/Moscow)``: a moment in the site's time zone."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{local:%Y-%m-%d %H:%M:%S} ({timezone.get_current_timezone_name()})"


def about_file(
    export, *, list_url: str, filters, made: datetime.datetime, rows: int
) -> list[tuple[str, object]]:
    """The top of the About sheet as (label, value) rows, in the export's language.

    ``list_url``: the absolute address of the list page with the export's filters;
    ``filters``: the list's chips for them (``SearchResult.active_filters``: a label
    and a value each); ``made``: when the file was made; ``rows``: how many rows the
    file has. A value is a text or a number.
    """
    with translation.override(export.lang):
        name, url = licence()
        chips = [(chip.label, chip.value) for chip in filters]
        about: list[tuple[str, object]] = [
            (gettext("File"), gettext("rightsnet: %(list)s") % {"list": export.title}),
            (gettext("List address"), list_url),
        ]
        if chips:
            about += [
                (gettext("Filter: %(filter)s") % {"filter": label}, value) for label, value in chips
            ]
        else:
            about.append((gettext("Filters"), gettext("none, the whole list")))
        about += [
            (gettext("Rows"), rows),
            (gettext("Made"), local_text(made)),
            (
                gettext("Data last changed"),
                local_text(export.last_change) or gettext("not recorded"),
            ),
            (gettext("Licence"), f"{name}, {url}"),
            (
                gettext("How to cite"),
                gettext("rightsnet. %(list)s. %(url)s (accessed %(date)s).")
                % {
                    "list": export.title,
                    "url": list_url,
                    "date": timezone.localtime(made).date().isoformat(),
                },
            ),
            (
                gettext("Cells"),
                gettext(
                    "Numbers, years and dates are numbers and dates; every other value is "
                    "text, as it is: postal codes keep their leading zeros, a phone number "
                    "starting with + has no apostrophe, and nothing is run as a formula. "
                    'Several values in one cell are separated by "; ". Yes or no is 1 or 0.'
                ),
            ),
            (
                gettext("Dates and times"),
                gettext(
                    "Dates are written yyyy-mm-dd; dates and times yyyy-mm-dd hh:mm:ss in "
                    "the site's time zone (%(zone)s); a date known only to a year or a "
                    "month (1997, 1997-01) is text."
                )
                % {"zone": timezone.get_current_timezone_name()},
            ),
            (
                gettext("Long texts"),
                gettext(
                    "A cell holds at most %(limit)s characters; a longer text is cut "
                    "and ends with %(marker)s. The CSV and JSON downloads have it whole."
                )
                % {"limit": f"{CELL_LIMIT:,}".replace(",", "\u00a0"), "marker": CUT_MARKER},
            ),
        ]
    return about


def codebook_header(lang: str) -> list[str]:
    with translation.override(lang):
        return [
            pgettext("codebook", "Column"),
            pgettext("codebook", "Label"),
            pgettext("codebook", "Type"),
            pgettext("codebook", "How it is written"),
            pgettext("codebook", "Meaning"),
            pgettext("codebook", "Example"),
        ]


def codebook(export) -> list[tuple[str, ...]]:
    """One row per column of the export, in its order, in the export's language."""
    with translation.override(export.lang):
        several = gettext('several values, separated by "; "')
        return [
            (
                spec.key,
                str(spec.label),
                spec.type,
                f"{TYPE_WORDS[spec.type]}; {several}" if spec.many else str(TYPE_WORDS[spec.type]),
                str(spec.meaning),
                spec.example,
            )
            for spec in export.specs
        ]
