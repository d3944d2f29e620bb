"""The columns of the public people export, in the style of ``directory.columns``.

Columns, in this order (``PERSON_COLUMNS``, the keys are also the JSON keys)::

    id, name, name_ru, name_en, title, region, region_path, organizations, roles,
    updated_at, url, sources, demo, slug, region_slug, organization_slugs

(``PERSON_COLUMN_SPECS``: the columns with their labels, types and meanings.)

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

from listing.columns import (
    BOOLEAN,
    CODE,
    DATETIME,
    INTEGER,
    STRING,
    URL,
    Column,
    column_headers,
    iso_local,
    keys_of,
)
from rightsnet.i18n import in_language

from .columns import ExportContext
from .models import Person

C = Column
PERSON_COLUMN_SPECS: tuple[Column, ...] = (
    C(
        "id",
        pgettext_lazy("export column", "id"),
        INTEGER,
        pgettext_lazy("column meaning", "The entry's number in rightsnet; never reused."),
        example="5",
    ),
    C(
        "name",
        pgettext_lazy("person export column", "name"),
        STRING,
        pgettext_lazy(
            "column meaning", "The name in the file's language, else in the other language."
        ),
        example="Людмила Алексеева",
    ),
    C(
        "name_ru",
        pgettext_lazy("person export column", "name_ru"),
        STRING,
        pgettext_lazy("column meaning", "The name in Russian, if known."),
        example="Людмила Алексеева",
    ),
    C(
        "name_en",
        pgettext_lazy("person export column", "name_en"),
        STRING,
        pgettext_lazy("column meaning", "The name in English, if known."),
        example="Lyudmila Alexeyeva",
    ),
    C(
        "title",
        pgettext_lazy("person export column", "title"),
        STRING,
        pgettext_lazy(
            "column meaning", "What the person does or is known for, in the file's language."
        ),
        example="chair",
    ),
    C(
        "region",
        pgettext_lazy("export column", "region"),
        STRING,
        pgettext_lazy("column meaning", "The region's name in the file's language."),
        example="Москва",
    ),
    C(
        "region_path",
        pgettext_lazy("export column", "region_path"),
        STRING,
        pgettext_lazy(
            "column meaning",
            'The region\'s names from the top of the tree down to it, joined with " / ".',
        ),
        example="Россия / Центральная Россия / Москва",
    ),
    C(
        "organizations",
        pgettext_lazy("person export column", "organizations"),
        STRING,
        pgettext_lazy(
            "column meaning", "The published organizations the person works with, by name."
        ),
        many=True,
        example="Moscow Helsinki Group",
    ),
    C(
        "roles",
        pgettext_lazy("person export column", "roles"),
        STRING,
        pgettext_lazy("column meaning", "The person's roles, as “organization: role”."),
        many=True,
        example="Moscow Helsinki Group: chair",
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
        example="https://rightsnet.example.org/en/people/lyudmila-alexeyeva/",
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
        example="lyudmila-alexeyeva",
    ),
    C(
        "region_slug",
        pgettext_lazy("export column", "region_slug"),
        CODE,
        pgettext_lazy("column meaning", "The region's code (the slug of the regions vocabulary)."),
        example="moscow",
    ),
    C(
        "organization_slugs",
        pgettext_lazy("export column", "organization_slugs"),
        CODE,
        pgettext_lazy(
            "column meaning",
            "The slugs of the published organizations, in the order of organizations.",
        ),
        many=True,
        example="moscow-helsinki-group",
    ),
)
del C
PERSON_COLUMNS: tuple[str, ...] = keys_of(PERSON_COLUMN_SPECS)


def person_headers(lang: str) -> list[str]:
    return column_headers(PERSON_COLUMN_SPECS, lang)


def person_row(person: Person, ctx: ExportContext, url) -> dict:
    """One person as typed values keyed by ``PERSON_COLUMNS`` (JSON-ready)."""
    lang = ctx.lang
    organizations, roles, slugs = [], [], []
    for affiliation in person.public_affiliations:
        name = in_language(affiliation.organization, "name", lang)[0]
        if name not in organizations:
            organizations.append(name)
            slugs.append(affiliation.organization.slug)
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
        "slug": person.slug,
        "region_slug": person.region.slug if person.region_id else "",
        "organization_slugs": slugs,
    }
