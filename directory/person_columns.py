"""The columns of the public people export, in the style of ``directory.columns``.

Columns, in this order (``PERSON_COLUMNS``, the keys are also the JSON keys)::

    id, name, name_ru, name_en, title, region, region_path, organizations, roles,
    updated_at, url

- ``name`` and ``title`` are in the export's language, falling back to the other
  language's text; ``name_ru``/``name_en`` keep both spellings.
- ``region``/``region_path`` as for organizations (root first, `` / ``-joined).
- ``organizations`` are the names of the published organizations the person is
  affiliated with; ``roles`` are ``organization: role`` for those with a role
  (both read from the selector's ``public_affiliations``, so a draft organization
  never appears). Several values in one cell are joined with ``"; "``.
- ``updated_at`` is an ISO date-time in the site's time zone, ``url`` the absolute
  public page in the export's language.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext_lazy

from .columns import ExportContext, cell_text, neutralise, translated
from .models import Person

PERSON_COLUMN_TITLES = {
    "id": pgettext_lazy("export column", "id"),
    "name": pgettext_lazy("person export column", "name"),
    "name_ru": pgettext_lazy("person export column", "name_ru"),
    "name_en": pgettext_lazy("person export column", "name_en"),
    "title": pgettext_lazy("person export column", "title"),
    "region": pgettext_lazy("export column", "region"),
    "region_path": pgettext_lazy("export column", "region_path"),
    "organizations": pgettext_lazy("person export column", "organizations"),
    "roles": pgettext_lazy("person export column", "roles"),
    "updated_at": pgettext_lazy("export column", "updated_at"),
    "url": pgettext_lazy("export column", "url"),
}
PERSON_COLUMNS: tuple[str, ...] = tuple(PERSON_COLUMN_TITLES)
SLUG_PLACEHOLDER = "slug-placeholder"


def column_headers(titles: dict, lang: str) -> list[str]:
    """The titles of ``titles`` in ``lang``, in their order."""
    with translation.override(lang):
        return [str(title) for title in titles.values()]


def person_headers(lang: str) -> list[str]:
    return column_headers(PERSON_COLUMN_TITLES, lang)


class DetailUrl:
    """Absolute detail-page addresses in one language, with one ``reverse()`` per export."""

    def __init__(self, url_name: str, *, lang: str, base_url: str = ""):
        with translation.override(lang):
            address = base_url.rstrip("/") + reverse(url_name, kwargs={"slug": SLUG_PLACEHOLDER})
        self.prefix, _placeholder, self.suffix = address.partition(SLUG_PLACEHOLDER)

    def __call__(self, slug: str) -> str:
        return self.prefix + slug + self.suffix


def iso_local(value) -> str | None:
    """An aware date-time as ISO 8601 in the site's time zone, to the second."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def person_row(person: Person, ctx: ExportContext, url: DetailUrl) -> dict:
    """One person as typed values keyed by ``PERSON_COLUMNS`` (JSON-ready)."""
    lang = ctx.lang
    affiliations = getattr(person, "public_affiliations", None)
    if affiliations is None:
        affiliations = [
            a
            for a in person.affiliations.select_related("organization")
            if a.organization.is_published
        ]
    organizations, roles = [], []
    for affiliation in affiliations:
        name = translated(affiliation.organization, "name", lang)
        if name not in organizations:
            organizations.append(name)
        role = translated(affiliation, "role", lang)
        if role:
            roles.append(f"{name}: {role}")
    return {
        "id": person.pk,
        "name": translated(person, "name", lang),
        "name_ru": person.name_ru or "",
        "name_en": person.name_en or "",
        "title": translated(person, "title", lang),
        "region": translated(person.region, "name", lang) if person.region_id else "",
        "region_path": ctx.region_path(person.region_id),
        "organizations": organizations,
        "roles": roles,
        "updated_at": iso_local(person.updated_at),
        "url": url(person.slug),
    }


def csv_cells(row: dict, columns: tuple[str, ...] = PERSON_COLUMNS) -> list[str]:
    """The CSV cells of a typed row, in column order: ``"; "``-joined and neutralised."""
    return [neutralise(cell_text(row[key])) for key in columns]
