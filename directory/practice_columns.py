"""The columns of the public practical experience export, in the style of ``directory.columns``.

Columns, in this order (``PRACTICE_COLUMNS``, the keys are also the JSON keys)::

    id, slug, title, summary, start, end, organizations, activities, regions,
    sources, url, demo

- ``title`` and ``summary`` are in the export's language, falling back to the other
  language's text.
- ``start`` and ``end`` are dates known to a year, a month or a day, written as
  ``directory.dates.PartialDate.iso()`` does ("1992", "1997-01", "2023-01-25"); empty
  when not known (an empty ``end`` with a ``start``: ongoing).
- ``organizations`` are the names of the published organizations that did it (from
  the listing's ``public_organizations``: ``directory.visibility``), ``activities``
  and ``regions`` the names of its types of work and regions, each in the export's
  language and alphabetical order; several values in one cell are joined with ``"; "``.
- ``sources`` and ``demo`` as for organizations (``directory.columns``): the public
  sources' citations, read from the export's ``public_sources`` prefetch, and a boolean.
- ``url`` is the absolute public page in the export's language.
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from listing.columns import column_headers
from rightsnet.i18n import in_language

from .columns import ExportContext
from .dates import iso_of
from .models import Practice

PRACTICE_COLUMN_TITLES = {
    "id": pgettext_lazy("export column", "id"),
    "slug": pgettext_lazy("practice export column", "slug"),
    "title": pgettext_lazy("practice export column", "title"),
    "summary": pgettext_lazy("practice export column", "summary"),
    "start": pgettext_lazy("practice export column", "start"),
    "end": pgettext_lazy("practice export column", "end"),
    "organizations": pgettext_lazy("practice export column", "organizations"),
    "activities": pgettext_lazy("export column", "activities"),
    "regions": pgettext_lazy("practice export column", "regions"),
    "sources": pgettext_lazy("export column", "sources"),
    "url": pgettext_lazy("export column", "url"),
    "demo": pgettext_lazy("export column", "demo"),
}
PRACTICE_COLUMNS: tuple[str, ...] = tuple(PRACTICE_COLUMN_TITLES)


def practice_headers(lang: str) -> list[str]:
    return column_headers(PRACTICE_COLUMN_TITLES, lang)


def _names(rows, lang: str) -> list[str]:
    return sorted((in_language(row, "name", lang)[0] for row in rows), key=str.lower)


def practice_row(practice: Practice, ctx: ExportContext, url) -> dict:
    """One practice as typed values keyed by ``PRACTICE_COLUMNS`` (JSON-ready)."""
    lang = ctx.lang
    return {
        "id": practice.pk,
        "slug": practice.slug,
        "title": in_language(practice, "title", lang)[0],
        "summary": in_language(practice, "summary", lang)[0],
        "start": iso_of(practice.start_date, practice.start_date_precision),
        "end": iso_of(practice.end_date, practice.end_date_precision),
        "organizations": _names(practice.public_organizations, lang),
        "activities": _names(practice.public_activities, lang),
        "regions": _names(practice.public_regions, lang),
        "sources": ctx.citations(practice.public_sources),
        "url": url(practice.slug),
        "demo": practice.is_demo,
    }
