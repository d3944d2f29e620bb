"""The columns of the public publications export, in the style of ``directory.columns``.

Columns, in this order (``PUBLICATION_COLUMNS``, the keys are also the JSON keys)::

    id, title, title_ru, title_en, series, year, city, language, pages, publisher,
    editors, topics, status, updated_at, url

- ``title``, ``series``, ``city``, ``publisher``, ``editors`` and ``topics`` are in
  the export's language, falling back to the other language's text;
  ``title_ru``/``title_en`` keep both spellings.
- ``language`` is the language of the text by name (``Russian``/``русский``),
  ``status`` the choice label (``published``/``planned``), both in the export's
  language; ``year`` and ``pages`` are numbers.
- ``publisher`` and ``editors`` are read from the selector's ``public_publisher`` and
  ``public_editors``, so a draft organization or person never appears.
- Several values in one cell are joined with ``"; "``.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import pgettext_lazy

from directory.columns import choice_labels, translated
from directory.person_columns import DetailUrl, column_headers, iso_local
from directory.templatetags.rightsnet import language_name

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
}
PUBLICATION_COLUMNS: tuple[str, ...] = tuple(PUBLICATION_COLUMN_TITLES)
_MISSING = object()


def publication_headers(lang: str) -> list[str]:
    return column_headers(PUBLICATION_COLUMN_TITLES, lang)


class PublicationContext:
    """What a whole publications export shares: language, labels, page addresses."""

    def __init__(self, *, lang: str, base_url: str = ""):
        self.lang = lang
        self.status_labels = choice_labels(Publication.Status, lang)
        self.url = DetailUrl("publications:publication_detail", lang=lang, base_url=base_url)
        self._languages: dict[str, str] = {}

    def language(self, code: str) -> str:
        if code not in self._languages:
            with translation.override(self.lang):
                self._languages[code] = str(language_name(code)) if code else ""
        return self._languages[code]


def publication_row(publication: Publication, ctx: PublicationContext) -> dict:
    """One publication as typed values keyed by ``PUBLICATION_COLUMNS`` (JSON-ready)."""
    lang = ctx.lang
    publisher = getattr(publication, "public_publisher", _MISSING)
    editors = getattr(publication, "public_editors", None)
    topics = getattr(publication, "public_topics", None)
    if publisher is _MISSING:
        publisher = publication.publisher if publication.publisher_id else None
        publisher = publisher if publisher is not None and publisher.is_published else None
    if editors is None:
        editors = publication.editors.filter(is_published=True)
    if topics is None:
        topics = publication.topics.all()
    return {
        "id": publication.pk,
        "title": translated(publication, "title", lang),
        "title_ru": publication.title_ru or "",
        "title_en": publication.title_en or "",
        "series": translated(publication.series, "name", lang) if publication.series_id else "",
        "year": publication.year,
        "city": translated(publication, "city", lang),
        "language": ctx.language(publication.language),
        "pages": publication.pages,
        "publisher": translated(publisher, "name", lang) if publisher is not None else "",
        "editors": [translated(person, "name", lang) for person in editors],
        "topics": sorted(translated(topic, "name", lang) for topic in topics),
        "status": ctx.status_labels.get(publication.status, publication.status),
        "updated_at": iso_local(publication.updated_at),
        "url": ctx.url(publication.slug),
    }
