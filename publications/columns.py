"""The columns of the public publications export (``listing.columns`` makes the cells).

Columns, in this order (``PUBLICATION_COLUMNS``, the keys are also the JSON keys)::

    id, title, title_ru, title_en, series, year, city, language, pages, publisher,
    editors, topics, status, updated_at, url, sources, demo

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
from listing.columns import DetailUrl, choice_labels, column_headers, iso_local
from rightsnet.i18n import in_language, language_name

from .models import Publication

PUBLICATION_COLUMN_TITLES = {
    "id": pgettext_lazy("export column", "id"),
    "title": pgettext_lazy("export column", "title"),
    "title_ru": pgettext_lazy("export column", "title_ru"),
    "title_en": pgettext_lazy("export column", "title_en"),
    "series": pgettext_lazy("export column", "series"),
    "year": pgettext_lazy("export column", "year"),
    "city": pgettext_lazy("export column", "city"),
    "language": pgettext_lazy("export column", "language"),
    "pages": pgettext_lazy("export column", "pages"),
    "publisher": pgettext_lazy("export column", "publisher"),
    "editors": pgettext_lazy("export column", "editors"),
    "topics": pgettext_lazy("export column", "topics"),
    "status": pgettext_lazy("export column", "status"),
    "updated_at": pgettext_lazy("export column", "updated_at"),
    "url": pgettext_lazy("export column", "url"),
    "sources": pgettext_lazy("export column", "sources"),
    "demo": pgettext_lazy("export column", "demo"),
}
PUBLICATION_COLUMNS: tuple[str, ...] = tuple(PUBLICATION_COLUMN_TITLES)


def publication_headers(lang: str) -> list[str]:
    return column_headers(PUBLICATION_COLUMN_TITLES, lang)


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
    topics = publication.public_topics
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
        "editors": [in_language(person, "name", lang)[0] for person in publication.public_editors],
        "topics": sorted(in_language(topic, "name", lang)[0] for topic in topics),
        "status": ctx.status_labels.get(publication.status, publication.status),
        "updated_at": iso_local(publication.updated_at),
        "url": ctx.url(publication.slug),
        "sources": ctx.citations(publication.public_sources),
        "demo": publication.is_demo,
    }
