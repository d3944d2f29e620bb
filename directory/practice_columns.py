"""The columns of the public practical experience export, in the style of ``directory.columns``.

Columns, in this order (``PRACTICE_COLUMNS``, the keys are also the JSON keys)::

    id, slug, title, summary, start, end, organizations, activities, regions,
    sources, url, demo, organization_slugs, activity_slugs, region_slugs

(``PRACTICE_COLUMN_SPECS``: the columns with their labels, types and meanings. The
slugs are sorted by themselves, so they are the same in both languages.)

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

from listing.columns import (
    BOOLEAN,
    CODE,
    INTEGER,
    PARTIAL_DATE,
    STRING,
    URL,
    Column,
    column_headers,
    keys_of,
)
from rightsnet.i18n import in_language

from .columns import ExportContext
from .dates import iso_of
from .models import Practice

C = Column
PRACTICE_COLUMN_SPECS: tuple[Column, ...] = (
    C(
        "id",
        pgettext_lazy("export column", "id"),
        INTEGER,
        pgettext_lazy("column meaning", "The entry's number in rightsnet; never reused."),
        example="3",
    ),
    C(
        "slug",
        pgettext_lazy("practice export column", "slug"),
        CODE,
        pgettext_lazy(
            "column meaning", "The entry's code in its page address; the same in every language."
        ),
        example="prison-monitoring-perm",
    ),
    C(
        "title",
        pgettext_lazy("practice export column", "title"),
        STRING,
        pgettext_lazy(
            "column meaning", "The title in the file's language, else in the other language."
        ),
        example="Мониторинг мест заключения",
    ),
    C(
        "summary",
        pgettext_lazy("practice export column", "summary"),
        STRING,
        pgettext_lazy("column meaning", "What was done and what was learned, in short."),
        example="",
    ),
    C(
        "start",
        pgettext_lazy("practice export column", "start"),
        PARTIAL_DATE,
        pgettext_lazy("column meaning", "When the work began: a year, a month or a day."),
        example="1997",
    ),
    C(
        "end",
        pgettext_lazy("practice export column", "end"),
        PARTIAL_DATE,
        pgettext_lazy(
            "column meaning",
            "When the work ended: a year, a month or a day; empty while it goes on or when not"
            " known.",
        ),
        example="1999-06",
    ),
    C(
        "organizations",
        pgettext_lazy("practice export column", "organizations"),
        STRING,
        pgettext_lazy(
            "column meaning",
            "The published organizations that did the work, by name, in alphabetical order.",
        ),
        many=True,
        example="Perm Civic Chamber",
    ),
    C(
        "activities",
        pgettext_lazy("export column", "activities"),
        STRING,
        pgettext_lazy(
            "column meaning",
            "Types of work, by name in the file's language, in alphabetical order.",
        ),
        many=True,
        example="monitoring",
    ),
    C(
        "regions",
        pgettext_lazy("practice export column", "regions"),
        STRING,
        pgettext_lazy("column meaning", "The regions of the work, by name, in alphabetical order."),
        many=True,
        example="Пермский край",
    ),
    C(
        "sources",
        pgettext_lazy("export column", "sources"),
        STRING,
        pgettext_lazy(
            "column meaning", "The public sources of the entry: publisher, title, date and address."
        ),
        many=True,
        example="CCSI, NIS Third Sector Organizations, 1997-01",
    ),
    C(
        "url",
        pgettext_lazy("export column", "url"),
        URL,
        pgettext_lazy("column meaning", "The entry's page on rightsnet, in the file's language."),
        example="https://rightsnet.example.org/en/practices/prison-monitoring-perm/",
    ),
    C(
        "demo",
        pgettext_lazy("export column", "demo"),
        BOOLEAN,
        pgettext_lazy(
            "column meaning", "Whether the entry is fictional demonstration data (1) or real (0)."
        ),
        example="0",
    ),
    # Appended by issue 15: language-independent codes.
    C(
        "organization_slugs",
        pgettext_lazy("export column", "organization_slugs"),
        CODE,
        pgettext_lazy(
            "column meaning",
            "The slugs of the published organizations, in alphabetical order.",
        ),
        many=True,
        example="perm-civic-chamber",
    ),
    C(
        "activity_slugs",
        pgettext_lazy("export column", "activity_slugs"),
        CODE,
        pgettext_lazy("column meaning", "The types of work as codes, in alphabetical order."),
        many=True,
        example="monitoring",
    ),
    C(
        "region_slugs",
        pgettext_lazy("export column", "region_slugs"),
        CODE,
        pgettext_lazy("column meaning", "The regions as codes, in alphabetical order."),
        many=True,
        example="perm-krai",
    ),
)
del C
PRACTICE_COLUMNS: tuple[str, ...] = keys_of(PRACTICE_COLUMN_SPECS)


def practice_headers(lang: str) -> list[str]:
    return column_headers(PRACTICE_COLUMN_SPECS, lang)


def _named(rows, lang: str) -> list[tuple[str, str]]:
    """(name in ``lang``, slug) of ``rows``, in alphabetical order of the names."""
    return sorted(
        ((in_language(row, "name", lang)[0], row.slug) for row in rows),
        key=lambda named: named[0].lower(),
    )


def practice_row(practice: Practice, ctx: ExportContext, url) -> dict:
    """One practice as typed values keyed by ``PRACTICE_COLUMNS`` (JSON-ready)."""
    lang = ctx.lang
    organizations = _named(practice.public_organizations, lang)
    activities = _named(practice.public_activities, lang)
    regions = _named(practice.public_regions, lang)
    return {
        "id": practice.pk,
        "slug": practice.slug,
        "title": in_language(practice, "title", lang)[0],
        "summary": in_language(practice, "summary", lang)[0],
        "start": iso_of(practice.start_date, practice.start_date_precision),
        "end": iso_of(practice.end_date, practice.end_date_precision),
        "organizations": [name for name, _slug in organizations],
        "activities": [name for name, _slug in activities],
        "regions": [name for name, _slug in regions],
        "sources": ctx.citations(practice.public_sources),
        "url": url(practice.slug),
        "demo": practice.is_demo,
        # Codes in their own order, so that they are the same in every language.
        "organization_slugs": sorted([slug for _name, slug in organizations]),
        "activity_slugs": sorted([slug for _name, slug in activities]),
        "region_slugs": sorted([slug for _name, slug in regions]),
    }
