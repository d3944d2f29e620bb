"""The vocabularies of the exports' code columns, with their labels in both languages.

- ``choices()``: kinds and statuses of organizations, designations, statuses of
  publications, kinds of region: ``Vocabulary(key, title, [Term(code, ru, en)])``;
- ``regions()``: the region tree, root first, each region before its children, siblings
  by their Russian name: ``Region(slug, name_ru, name_en, parent_slug, kind, depth,
  path)``, ``path`` being the slugs from the root down to the region, joined with
  ``/``;
- ``activities()``: the types of work, ``(slug, name_ru, name_en)``;
- ``regions_csv()``, ``activities_csv()``: those two as files, the exports' CSV
  (``listing.exports``: UTF-8 with a byte-order mark, CRLF, RFC 4180, formulas
  neutralised), the data package's resources for the foreign keys.

Every region and type of work is public (they have no drafts), so the files hold all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from django.utils import translation
from django.utils.translation import pgettext_lazy

from directory.events import DESIGNATION_KINDS
from directory.models import ActivityType, Organization, OrganizationEvent, Region
from listing.columns import neutralise
from listing.exports import BOM, CRLF, csv_line
from publications.models import Publication

REGION_COLUMNS = ("slug", "name_ru", "name_en", "parent_slug", "kind", "path")
ACTIVITY_COLUMNS = ("slug", "name_ru", "name_en")


class Term(NamedTuple):
    code: str
    ru: str
    en: str


class Vocabulary(NamedTuple):
    key: str  # the column holding the codes: "kind_code"
    title: object  # a lazy translation
    terms: list[Term]


def _terms(choices, codes=None) -> list[Term]:
    labels = {}
    for lang in ("ru", "en"):
        with translation.override(lang):
            labels[lang] = {value: str(label) for value, label in choices.choices}
    return [
        Term(code, labels["ru"][code], labels["en"][code])
        for code in (codes or [value for value, _label in choices.choices])
    ]


def choices() -> list[Vocabulary]:
    """The fixed vocabularies (the code columns' ``codes``), labelled in both languages."""
    return [
        Vocabulary(
            "kind_code",
            pgettext_lazy("vocabulary", "Kinds of organization"),
            _terms(Organization.Kind),
        ),
        Vocabulary(
            "status_code",
            pgettext_lazy("vocabulary", "Statuses of organizations"),
            _terms(Organization.Status),
        ),
        Vocabulary(
            "designation_codes",
            pgettext_lazy("vocabulary", "Designations"),
            _terms(OrganizationEvent.Kind, DESIGNATION_KINDS),
        ),
        Vocabulary(
            "status_code",
            pgettext_lazy("vocabulary", "Statuses of publications"),
            _terms(Publication.Status),
        ),
        Vocabulary("kind", pgettext_lazy("vocabulary", "Kinds of region"), _terms(Region.Kind)),
    ]


class RegionTerm(NamedTuple):
    slug: str
    name_ru: str
    name_en: str
    parent_slug: str
    kind: str
    depth: int
    path: str


def regions(lang: str = "ru") -> list[RegionTerm]:
    """Every region, as a tree read top down, siblings by name in ``lang`` (one query)."""
    rows = list(
        Region.objects.order_by().values_list(
            "id", "slug", "name_ru", "name_en", "parent_id", "kind"
        )
    )
    by_id = {row[0]: row for row in rows}
    children: dict[int | None, list[tuple]] = {}
    for row in rows:
        children.setdefault(row[4] if row[4] in by_id else None, []).append(row)
    found: list[RegionTerm] = []

    def walk(parent_id, depth: int, path: str) -> None:
        siblings = children.get(parent_id, [])
        for row in sorted(siblings, key=lambda r: (_name(r[2], r[3], lang).lower(), r[1])):
            region_id, slug, name_ru, name_en, parent, kind = row
            own = f"{path}/{slug}" if path else slug
            found.append(
                RegionTerm(
                    slug,
                    name_ru or "",
                    name_en or "",
                    by_id[parent][1] if parent in by_id else "",
                    kind,
                    depth,
                    own,
                )
            )
            walk(region_id, depth + 1, own)

    walk(None, 0, "")
    return found


def _name(ru: str, en: str, lang: str) -> str:
    return (en or ru or "") if lang == "en" else (ru or en or "")


def activities() -> list[tuple[str, str, str]]:
    """Every type of work: (slug, name_ru, name_en), by Russian name."""
    rows = ActivityType.objects.order_by().values_list("slug", "name_ru", "name_en")
    return sorted(
        ((slug, ru or "", en or "") for slug, ru, en in rows),
        key=lambda row: ((row[1] or row[2]).lower(), row[0]),
    )


def csv_bytes(header: tuple[str, ...], rows) -> Iterator[bytes]:
    """A vocabulary as the exports write CSV: BOM, header, CRLF, neutralised cells."""
    yield (BOM + csv_line(list(header)) + CRLF).encode("utf-8")
    for row in rows:
        yield (csv_line([neutralise(str(cell)) for cell in row]) + CRLF).encode("utf-8")


def regions_csv() -> Iterator[bytes]:
    return csv_bytes(
        REGION_COLUMNS,
        ((r.slug, r.name_ru, r.name_en, r.parent_slug, r.kind, r.path) for r in regions()),
    )


def activities_csv() -> Iterator[bytes]:
    return csv_bytes(ACTIVITY_COLUMNS, activities())


# The vocabulary files: name -> (its columns, its rows as CSV bytes).
VOCABULARY_FILES = {"regions": regions_csv, "activities": activities_csv}
