"""The columns of the public publications export (``listing.columns`` makes the cells).

Columns, in this order (``PUBLICATION_COLUMNS``, the keys are also the JSON keys)::

    id, title, title_ru, title_en, series, year, city, language, pages, publisher,
    editors, topics, status, updated_at, url, sources, demo, slug, status_code,
    language_code, series_slug, publisher_slug, editor_slugs, topic_slugs

(``PUBLICATION_COLUMN_SPECS``: the columns with their labels, types and meanings.)

- ``title``, ``series``, ``city``, ``publisher``, ``editors`` and ``topics`` are in
  the export's language, falling back to the other language's text;
  ``title_ru``/``title_en`` keep both spellings.
- ``language`` is the language of the text by name (``Russian``/``русский``),
  ``status`` the choice label (``published``/``planned``), both in the export's
  language; ``year`` and ``pages`` are numbers.
- ``publisher`` and ``editors`` are read from the selector's ``public_publisher`` and
  ``public_editors``: published ones only (``directory.visibility``).
- ``sources`` and ``demo`` as for organizations (``directory.columns``): the public
  sources' citations, read from the export's ``public_sources`` prefetch, and a boolean.
- Several values in one cell are joined with ``"; "``.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import pgettext_lazy

from directory.columns import SourceCitations
from listing.columns import (
    BOOLEAN,
    CODE,
    DATETIME,
    INTEGER,
    STRING,
    URL,
    YEAR,
    Column,
    DetailUrl,
    choice_labels,
    column_headers,
    iso_local,
    keys_of,
)
from rightsnet.i18n import in_language, language_name

from .models import Publication


def _status_codes() -> list[str]:
    return list(Publication.Status.values)


C = Column
PUBLICATION_COLUMN_SPECS: tuple[Column, ...] = (
    C(
        "id",
        pgettext_lazy("export column", "id"),
        INTEGER,
        pgettext_lazy("column meaning", "The entry's number in rightsnet; never reused."),
        example="12",
    ),
    C(
        "title",
        pgettext_lazy("export column", "title"),
        STRING,
        pgettext_lazy(
            "column meaning", "The title in the file's language, else in the other language."
        ),
        example="Правовая культура",
    ),
    C(
        "title_ru",
        pgettext_lazy("export column", "title_ru"),
        STRING,
        pgettext_lazy("column meaning", "The title in Russian, if known."),
        example="Правовая культура",
    ),
    C(
        "title_en",
        pgettext_lazy("export column", "title_en"),
        STRING,
        pgettext_lazy("column meaning", "The title in English, if known."),
        example="Legal Culture",
    ),
    C(
        "series",
        pgettext_lazy("export column", "series"),
        STRING,
        pgettext_lazy("column meaning", "The series the book belongs to, by name."),
        example="Legal Culture",
    ),
    C(
        "year",
        pgettext_lazy("export column", "year"),
        YEAR,
        pgettext_lazy("column meaning", "The year of publication."),
        example="1998",
    ),
    C(
        "city",
        pgettext_lazy("export column", "city"),
        STRING,
        pgettext_lazy("column meaning", "The city of publication."),
        example="Москва",
    ),
    C(
        "language",
        pgettext_lazy("export column", "language"),
        STRING,
        pgettext_lazy(
            "column meaning",
            "The language of the text, by name in the file's language (language_code is the same"
            " in every language).",
        ),
        example="русский",
    ),
    C(
        "pages",
        pgettext_lazy("export column", "pages"),
        INTEGER,
        pgettext_lazy("column meaning", "The number of pages."),
        example="96",
    ),
    C(
        "publisher",
        pgettext_lazy("export column", "publisher"),
        STRING,
        pgettext_lazy(
            "column meaning", "The publishing organization, by name, if published in rightsnet."
        ),
        example="Moscow Helsinki Group",
    ),
    C(
        "editors",
        pgettext_lazy("export column", "editors"),
        STRING,
        pgettext_lazy("column meaning", "The editors, by name, if published in rightsnet."),
        many=True,
    ),
    C(
        "topics",
        pgettext_lazy("export column", "topics"),
        STRING,
        pgettext_lazy(
            "column meaning", "The types of work the book is about, by name, in alphabetical order."
        ),
        many=True,
        example="legal education",
    ),
    C(
        "status",
        pgettext_lazy("export column", "status"),
        STRING,
        pgettext_lazy(
            "column meaning",
            "Whether the book is out or planned, as a label in the file's language (status_code"
            " is the same in every language).",
        ),
        example="published",
    ),
    C(
        "updated_at",
        pgettext_lazy("export column", "updated_at"),
        DATETIME,
        pgettext_lazy(
            "column meaning", "When the entry was last changed, with the site's time offset."
        ),
        example="2026-11-30T12:00:00+03:00",
    ),
    C(
        "url",
        pgettext_lazy("export column", "url"),
        URL,
        pgettext_lazy("column meaning", "The entry's page on rightsnet, in the file's language."),
        example="https://rightsnet.example.org/en/publications/legal-culture-1/",
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
        "slug",
        pgettext_lazy("export column", "slug"),
        CODE,
        pgettext_lazy(
            "column meaning", "The entry's code in its page address; the same in every language."
        ),
        example="legal-culture-1",
    ),
    C(
        "status_code",
        pgettext_lazy("export column", "status_code"),
        CODE,
        pgettext_lazy("column meaning", "The status as a code."),
        example="published",
        codes=_status_codes,
    ),
    C(
        "language_code",
        pgettext_lazy("export column", "language_code"),
        CODE,
        pgettext_lazy("column meaning", "The language of the text as an ISO 639-1 code."),
        example="ru",
    ),
    C(
        "series_slug",
        pgettext_lazy("export column", "series_slug"),
        CODE,
        pgettext_lazy("column meaning", "The series as a code."),
        example="legal-culture",
    ),
    C(
        "publisher_slug",
        pgettext_lazy("export column", "publisher_slug"),
        CODE,
        pgettext_lazy("column meaning", "The publisher's slug in the organizations file."),
        example="moscow-helsinki-group",
    ),
    C(
        "editor_slugs",
        pgettext_lazy("export column", "editor_slugs"),
        CODE,
        pgettext_lazy(
            "column meaning", "The editors' slugs in the people file, in the order of editors."
        ),
        many=True,
    ),
    C(
        "topic_slugs",
        pgettext_lazy("export column", "topic_slugs"),
        CODE,
        pgettext_lazy("column meaning", "The topics as type-of-work codes, in alphabetical order."),
        many=True,
        example="legal-education",
    ),
)
del C
PUBLICATION_COLUMNS: tuple[str, ...] = keys_of(PUBLICATION_COLUMN_SPECS)


def publication_headers(lang: str) -> list[str]:
    return column_headers(PUBLICATION_COLUMN_SPECS, lang)


class PublicationContext:
    """What a whole publications export shares: language, labels, page addresses."""

    def __init__(self, *, lang: str, base_url: str = ""):
        self.lang = lang
        self.status_labels = choice_labels(Publication.Status, lang)
        self.url = DetailUrl("publications:publication_detail", lang=lang, base_url=base_url)
        self.citations = SourceCitations(lang)
        self._languages: dict[str, str] = {}

    def language(self, code: str) -> str:
        if code not in self._languages:
            with translation.override(self.lang):
                self._languages[code] = str(language_name(code)) if code else ""
        return self._languages[code]


def publication_row(publication: Publication, ctx: PublicationContext) -> dict:
    """One publication as typed values keyed by ``PUBLICATION_COLUMNS`` (JSON-ready)."""
    lang = ctx.lang
    publisher = publication.public_publisher
    editors = publication.public_editors
    topics = sorted(
        ((in_language(topic, "name", lang)[0], topic.slug) for topic in publication.public_topics),
    )
    return {
        "id": publication.pk,
        "title": in_language(publication, "title", lang)[0],
        "title_ru": publication.title_ru or "",
        "title_en": publication.title_en or "",
        "series": in_language(publication.series, "name", lang)[0] if publication.series_id else "",
        "year": publication.year,
        "city": in_language(publication, "city", lang)[0],
        "language": ctx.language(publication.language),
        "pages": publication.pages,
        "publisher": in_language(publisher, "name", lang)[0] if publisher is not None else "",
        "editors": [in_language(person, "name", lang)[0] for person in editors],
        "topics": [name for name, _slug in topics],
        "status": ctx.status_labels.get(publication.status, publication.status),
        "updated_at": iso_local(publication.updated_at),
        "url": ctx.url(publication.slug),
        "sources": ctx.citations(publication.public_sources),
        "demo": publication.is_demo,
        "slug": publication.slug,
        "status_code": publication.status,
        "language_code": publication.language,
        "series_slug": publication.series.slug if publication.series_id else "",
        "publisher_slug": publisher.slug if publisher is not None else "",
        "editor_slugs": [person.slug for person in editors],
        "topic_slugs": sorted([slug for _name, slug in topics]),  # the same in every language
    }
