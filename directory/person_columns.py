"""The columns of the public people export, in the style of ``directory.columns``.

Columns, in this order (``PERSON_COLUMNS``, the keys are also the JSON keys)::

    id, name, name_ru, name_en, title, region, region_path, organizations, roles,
    updated_at, url, sources, demo

- ``name`` and ``title`` are in the export's language, falling back to the other
  language's text; ``name_ru``/``name_en`` keep both spellings.
- ``region``/``region_path`` as for organizations (root first, `` / ``-joined).
- ``organizations`` are the names of the published organizations the person is
  affiliated with; ``roles`` are ``organization: role`` for those with a role
  (both read from the selector's ``public_affiliations``, of published organizations
  only: ``directory.visibility``). Several values in one cell are joined with ``"; "``.
- ``updated_at`` is an ISO date-time in the site's time zone, ``url`` the absolute
  public page in the export's language.
- ``sources`` and ``demo`` as for organizations (``directory.columns``): the public
  sources' citations, read from the export's ``public_sources`` prefetch, and a boolean.
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from listing.columns import column_headers, iso_local
from rightsnet.i18n import in_language

from .columns import ExportContext
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
    "sources": pgettext_lazy("export column", "sources"),
    "demo": pgettext_lazy("export column", "demo"),
}
PERSON_COLUMNS: tuple[str, ...] = tuple(PERSON_COLUMN_TITLES)


def person_headers(lang: str) -> list[str]:
    return column_headers(PERSON_COLUMN_TITLES, lang)


def person_row(person: Person, ctx: ExportContext, url) -> dict:
    """One person as typed values keyed by ``PERSON_COLUMNS`` (JSON-ready)."""
    lang = ctx.lang
    organizations, roles = [], []
    for affiliation in person.public_affiliations:
        name = in_language(affiliation.organization, "name", lang)[0]
        if name not in organizations:
            organizations.append(name)
        role = in_language(affiliation, "role", lang)[0]
        if role:
            roles.append(f"{name}: {role}")
    return {
        "id": person.pk,
        "name": in_language(person, "name", lang)[0],
        "name_ru": person.name_ru or "",
        "name_en": person.name_en or "",
        "title": in_language(person, "title", lang)[0],
        "region": in_language(person.region, "name", lang)[0] if person.region_id else "",
        "region_path": ctx.region_path(person.region_id),
        "organizations": organizations,
        "roles": roles,
        "updated_at": iso_local(person.updated_at),
        "url": url(person.slug),
        "sources": ctx.citations(person.public_sources),
        "demo": person.is_demo,
    }
