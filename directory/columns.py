"""The organization columns shared by the public export and the staff import.

One definition, so that an exported file can be imported back unchanged.

Columns, in this order (``COLUMN_SPECS``: one ``listing.columns.Column`` each, with
its label, type, meaning and example for the codebook and the data package;
``COLUMNS`` are their keys)::

    id, name, name_ru, name_en, kind, region, region_path, city, address,
    postal_code, phones, fax, email, website, activities, founded, status,
    last_verified, updated_at, url, status_since, designations, contacts_as_of,
    sources, demo, slug, kind_code, status_code, region_slug, activity_slugs,
    designation_codes, parent_slug, partner_slugs, short_name, description

New columns are appended at the end, so that files and programs made for the
earlier columns keep working. The header of every file, in both languages, is the
keys (the one header rule, so that a Russian and an English file join); the labels
are in the codebook, and the import still understands files headed with them.

Exporting (CSV or JSON)::

    ctx = ExportContext(lang="ru", base_url="https://example.org", public=True)
    writer.writerow(headers("ru"))
    for org in export_queryset(queryset).iterator(chunk_size=1000):
        row = organization_row(org, ctx)   # typed values: JSON as is
        writer.writerow(csv_cells(row, COLUMNS))  # strings: "; "-joined, neutralised

- ``headers(lang)`` are the keys; ``labels(lang)`` the readable titles, which
  ``header_map()`` recognises in either language.
- ``name``, ``city`` and ``address`` are in the export's language, falling back
  to the other language's text; ``name_ru``/``name_en`` keep both spellings.
- ``kind``/``status`` are the choice labels in the export's language, and so are
  ``designations`` (the labels of the designation events, ``OrganizationEvent.Kind``).
- ``region`` is the region's name, ``region_path`` the names from the root down
  to the region itself joined with `` / ``.
- ``phones`` holds telephone and mobile numbers, ``fax`` the fax numbers;
  several values in one cell are joined with ``"; "`` (``MULTI_SEPARATOR``).
- ``website`` is empty unless it is an http, https or mailto address
  (``rightsnet.links.safe_url``, whatever the database holds).
- ``founded`` is a year, ``last_verified`` an ISO date, ``updated_at`` an ISO
  date-time in the site's time zone, ``url`` the absolute public page address
  in the export's language.
- ``status_since`` and ``contacts_as_of`` are dates known to a year, a month or a
  day, written as ``directory.dates.PartialDate.iso()`` does: "1976", "1997-01",
  "2023-01-25".
- ``sources`` are the public sources' citations (``SourceCitations``); ``demo`` is a
  boolean (JSON ``true``/``false``, CSV ``1``/``0``: ``listing.columns.cell_text``).
- The codes are the same in every language: ``slug``, ``kind_code``/``status_code``
  (the choices' values), ``region_slug``, ``activity_slugs`` and
  ``designation_codes`` (sorted), ``parent_slug`` (empty unless the parent is
  published) and ``partner_slugs`` (the published partners', sorted);
  ``short_name`` and ``description`` are texts in the export's language, falling back
  to the other one.
- With ``public=True`` (every public export) the contact columns (address,
  postal code, phones, fax, email, contacts_as_of) are empty where
  ``contacts_public`` is off (``directory.visibility``; the public export reads that
  rule's value): the date belongs to the contacts it dates.
- ``export_queryset()`` adds the ``select_related``/``prefetch_related`` needed so
  that rows cost no query each; ``ExportContext`` loads every region's path once,
  and every public source's citation once.

Cells are made and formulas neutralised by ``listing.columns`` (plain telephone numbers
are left as they are: ``listing.columns.is_plain_phones``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import NamedTuple

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from listing.columns import (
    BOOLEAN,
    CODE,
    DATE,
    DATETIME,
    EMAIL,
    INTEGER,
    PARTIAL_DATE,
    STRING,
    URL,
    YEAR,
    Column,
    DetailUrl,
    choice_labels,
    column_headers,
    column_labels,
    keys_of,
)
from rightsnet.i18n import LANGUAGE_CODES, in_language
from rightsnet.links import safe_url

from .dates import iso_of
from .events import DESIGNATION_KINDS
from .models import Organization, OrganizationEvent, Phone, Region, Source

PATH_SEPARATOR = " / "

# The contact columns that stay empty in a public export where contacts_public is off.
RESTRICTED_COLUMNS = ("address", "postal_code", "phones", "fax", "email", "contacts_as_of")
# Derived columns that an import never writes.
READ_ONLY_COLUMNS = ("name", "region_path", "updated_at", "url") + (
    # Written elsewhere: the events (status_since, designations), the admin (sources),
    # the demo generator (demo); the import says so where such a cell differs.
    "status_since", "designations", "sources", "demo",
    # The codes and texts appended by issue 15: the slug names the entry's page; the
    # others are the labelled columns' codes, or texts edited in the admin.
    "slug", "kind_code", "status_code", "region_slug", "activity_slugs", "designation_codes",
    "parent_slug", "partner_slugs", "short_name", "description",
)  # fmt: skip


def _kind_codes() -> list[str]:
    return list(Organization.Kind.values)


def _status_codes() -> list[str]:
    return list(Organization.Status.values)


def _designation_codes() -> list[str]:
    return list(DESIGNATION_KINDS)


C = Column
COLUMN_SPECS: tuple[Column, ...] = (
    C(
        "id",
        pgettext_lazy("export column", "id"),
        INTEGER,
        pgettext_lazy("column meaning", "The entry's number in rightsnet; never reused."),
        example="17",
    ),
    C(
        "name",
        pgettext_lazy("export column", "name"),
        STRING,
        pgettext_lazy(
            "column meaning", "The name in the file's language, else in the other language."
        ),
        example="Московская Хельсинкская группа",
    ),
    C(
        "name_ru",
        pgettext_lazy("export column", "name_ru"),
        STRING,
        pgettext_lazy("column meaning", "The name in Russian, if known."),
        example="Московская Хельсинкская группа",
    ),
    C(
        "name_en",
        pgettext_lazy("export column", "name_en"),
        STRING,
        pgettext_lazy("column meaning", "The name in English, if known."),
        example="Moscow Helsinki Group",
    ),
    C(
        "kind",
        pgettext_lazy("export column", "kind"),
        STRING,
        pgettext_lazy(
            "column meaning",
            "The kind of organization, as a label in the file's language"
            " (kind_code is the same in every language).",
        ),
        example="human rights group",
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
        "city",
        pgettext_lazy("export column", "city"),
        STRING,
        pgettext_lazy("column meaning", "The city or town."),
        example="Москва",
    ),
    C(
        "address",
        pgettext_lazy("export column", "address"),
        STRING,
        pgettext_lazy(
            "column meaning",
            "The postal address; empty where the organization's contacts are not public.",
        ),
        example="ул. Новый Арбат, 19",
    ),
    C(
        "postal_code",
        pgettext_lazy("export column", "postal_code"),
        STRING,
        pgettext_lazy(
            "column meaning", "The postal code, as text: leading zeros are kept (01001)."
        ),
        example="01001",
    ),
    C(
        "phones",
        pgettext_lazy("export column", "phones"),
        STRING,
        pgettext_lazy("column meaning", "Telephone and mobile numbers, as written."),
        many=True,
        example="+7 095 206-81-71",
    ),
    C(
        "fax",
        pgettext_lazy("export column", "fax"),
        STRING,
        pgettext_lazy("column meaning", "Fax numbers, as written."),
        many=True,
        example="+7 095 206-81-71",
    ),
    C(
        "email",
        pgettext_lazy("export column", "email"),
        EMAIL,
        pgettext_lazy("column meaning", "The public email address."),
        example="info@example.org",
    ),
    C(
        "website",
        pgettext_lazy("export column", "website"),
        URL,
        pgettext_lazy("column meaning", "The website (http, https or mailto addresses only)."),
        example="https://example.org/",
    ),
    C(
        "activities",
        pgettext_lazy("export column", "activities"),
        STRING,
        pgettext_lazy(
            "column meaning",
            "Types of work, by name in the file's language, in alphabetical order"
            " (activity_slugs are the same in every language).",
        ),
        many=True,
        example="monitoring; legal defense",
    ),
    C(
        "founded",
        pgettext_lazy("export column", "founded"),
        YEAR,
        pgettext_lazy("column meaning", "The year the organization was founded."),
        example="1976",
    ),
    C(
        "status",
        pgettext_lazy("export column", "status"),
        STRING,
        pgettext_lazy(
            "column meaning",
            "Whether the organization works, as a label in the file's language"
            " (status_code is the same in every language).",
        ),
        example="active",
    ),
    C(
        "last_verified",
        pgettext_lazy("export column", "last_verified"),
        DATE,
        pgettext_lazy(
            "column meaning",
            "The day the entry was last checked with the organization or a source.",
        ),
        example="2026-11-30",
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
        example="https://rightsnet.example.org/en/organizations/moscow-helsinki-group/",
    ),
    C(
        "status_since",
        pgettext_lazy("export column", "status_since"),
        PARTIAL_DATE,
        pgettext_lazy(
            "column meaning",
            "Since when the status holds: a year, a month or a day (1997, 1997-01, 1997-01-25).",
        ),
        example="2023-01-25",
    ),
    C(
        "designations",
        pgettext_lazy("export column", "designations"),
        STRING,
        pgettext_lazy(
            "column meaning",
            "Designations by the authorities"
            " (such as the register of “foreign agents”),"
            " as labels in the file's language.",
        ),
        many=True,
    ),
    C(
        "contacts_as_of",
        pgettext_lazy("export column", "contacts_as_of"),
        PARTIAL_DATE,
        pgettext_lazy(
            "column meaning", "When the contacts were known to be right: a year, a month or a day."
        ),
        example="1997",
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
            "column meaning",
            "Whether the entry is fictional demonstration data (1) or a real organization (0).",
        ),
        example="0",
    ),
    # Appended by issue 15: language-independent codes, and two texts.
    C(
        "slug",
        pgettext_lazy("export column", "slug"),
        CODE,
        pgettext_lazy(
            "column meaning", "The entry's code in its page address; the same in every language."
        ),
        example="moscow-helsinki-group",
    ),
    C(
        "kind_code",
        pgettext_lazy("export column", "kind_code"),
        CODE,
        pgettext_lazy("column meaning", "The kind of organization as a code."),
        example="group",
        codes=_kind_codes,
    ),
    C(
        "status_code",
        pgettext_lazy("export column", "status_code"),
        CODE,
        pgettext_lazy("column meaning", "The status as a code."),
        example="active",
        codes=_status_codes,
    ),
    C(
        "region_slug",
        pgettext_lazy("export column", "region_slug"),
        CODE,
        pgettext_lazy("column meaning", "The region's code (the slug of the regions vocabulary)."),
        example="moscow",
    ),
    C(
        "activity_slugs",
        pgettext_lazy("export column", "activity_slugs"),
        CODE,
        pgettext_lazy("column meaning", "The types of work as codes, in alphabetical order."),
        many=True,
        example="legal-defense; monitoring",
    ),
    C(
        "designation_codes",
        pgettext_lazy("export column", "designation_codes"),
        CODE,
        pgettext_lazy("column meaning", "The designations as codes."),
        many=True,
        example="foreign_agent",
        codes=_designation_codes,
    ),
    C(
        "parent_slug",
        pgettext_lazy("export column", "parent_slug"),
        CODE,
        pgettext_lazy(
            "column meaning", "For a branch: the slug of the organization it belongs to."
        ),
        example="memorial",
    ),
    C(
        "partner_slugs",
        pgettext_lazy("export column", "partner_slugs"),
        CODE,
        pgettext_lazy(
            "column meaning", "The slugs of its partner organizations, in alphabetical order."
        ),
        many=True,
        example="memorial; moscow-helsinki-group",
    ),
    C(
        "short_name",
        pgettext_lazy("export column", "short_name"),
        STRING,
        pgettext_lazy(
            "column meaning",
            "The short name or abbreviation in the file's language, else in the other language.",
        ),
        example="МХГ",
    ),
    C(
        "description",
        pgettext_lazy("export column", "description"),
        STRING,
        pgettext_lazy(
            "column meaning",
            "What the organization does, in the file's language, else in the other language.",
        ),
        example="",
    ),
)
del C
COLUMNS: tuple[str, ...] = keys_of(COLUMN_SPECS)


def headers(lang: str) -> list[str]:
    """The header row of an export in ``lang``: the column keys (``column_headers``)."""
    return column_headers(COLUMN_SPECS, lang)


def labels(lang: str) -> list[str]:
    """The columns' readable labels in ``lang``."""
    return column_labels(COLUMN_SPECS, lang)


def header_key(title: str) -> str:
    """A header cell folded for matching: case, spaces and BOM do not matter."""
    return " ".join(title.replace("\ufeff", "").strip().lower().split())


def header_map() -> dict[str, tuple[str, frozenset[str]]]:
    """Folded title in any language -> (column key, languages using that title).

    The keys (every export's header since issue 15) belong to no language: the import
    then tells the file's language by its labels (``importing``). Labelled headers, as
    exports had before, are still understood, and tell their language.
    """
    found: dict[str, tuple[str, set[str]]] = {}
    for lang in LANGUAGE_CODES:
        for key, title in zip(COLUMNS, labels(lang), strict=True):
            if header_key(title) != header_key(key):
                found.setdefault(header_key(title), (key, set()))[1].add(lang)
    for key in (*COLUMNS, "slug"):
        found.setdefault(header_key(key), (key, set()))
    return {title: (key, frozenset(langs)) for title, (key, langs) in found.items()}


class Citation(NamedTuple):
    """A public source as the exports cite it; tuples sort in the sources' order."""

    rank: int
    id: int
    text: str


class SourceCitations:
    """Every public source's citation in one language, read once (one query) when first
    needed; a row's sources are then looked up by id, so rows cost no query.

    A citation is the source's publisher, title, date and address, those it has, joined
    with ", ": "CCSI, NIS Third Sector Organizations, 1997-01", "Example Gazette, A
    report, 2023-05-10, https://example.org/report" (texts in the export's language, else
    the other one; the date as ``PartialDate.iso()``). A row's citations come in the
    order an entry's page lists its sources: oldest first, undated last, then as
    created. Sources that are not public are not in the table: they are never cited.
    """

    def __init__(self, lang: str):
        self.lang = lang

    @cached_property
    def table(self) -> dict[int, Citation]:
        order = (self.lang, *(code for code in LANGUAGE_CODES if code != self.lang))
        fields = [f"{name}_{code}" for name in ("title", "publisher") for code in order]
        titles, publishers = attrgetter(*fields[:2]), attrgetter(*fields[2:])
        found = []
        for source in (
            Source.objects.public().order_by().only("id", "url", "date", "date_precision", *fields)
        ):
            when = source.when
            text = ", ".join(
                part
                for part in (
                    next(filter(None, publishers(source)), ""),
                    next(filter(None, titles(source)), ""),
                    when.iso() if when else "",
                    source.url,
                )
                if part
            )
            found.append(((source.date is None, source.date, source.pk), source.pk, text))
        found.sort(key=lambda item: item[0])
        return {pk: Citation(rank, pk, text) for rank, (_key, pk, text) in enumerate(found)}

    def __call__(self, sources: Iterable) -> list[str]:
        """The citations of ``sources`` (anything with an ``id``: sources, citations)
        that are public, in order; the table is read when a row first has any."""
        if not sources:
            return []
        table = self.table
        return [c.text for c in sorted(table[s.id] for s in sources if s.id in table)]


def public_sources_prefetch() -> Prefetch:
    """A row's public sources in ``public_sources``, as ``SourceCitations`` reads them
    (their ids only)."""
    return Prefetch(
        "sources", queryset=Source.objects.public().order_by().only("id"), to_attr="public_sources"
    )


@dataclass
class ExportContext:
    """What a whole export shares: language, site address, labels, region names and paths.

    Everything that does not depend on the row is worked out here once, so that
    ``organization_row`` is a handful of dictionary and attribute lookups per row.
    """

    lang: str
    base_url: str = ""
    public: bool = True
    kind_labels: dict[str, str] = field(init=False)
    status_labels: dict[str, str] = field(init=False)
    designation_labels: dict[str, str] = field(init=False)
    citations: SourceCitations = field(init=False)
    _regions: dict[int, Region] | None = field(init=False, default=None)
    _paths: dict[int, str] = field(init=False, default_factory=dict)
    # type of work's id -> its name in the export's language, as met (activity_name).
    activity_names: dict[int, str] = field(init=False, default_factory=dict)
    tz: datetime.tzinfo = field(init=False)
    # (name_<lang>, name_<other>): the texts of a bilingual field, best first.
    names: attrgetter = field(init=False)
    cities: attrgetter = field(init=False)
    addresses: attrgetter = field(init=False)
    short_names: attrgetter = field(init=False)
    descriptions: attrgetter = field(init=False)

    def __post_init__(self):
        self.kind_labels = choice_labels(Organization.Kind, self.lang)
        self.status_labels = choice_labels(Organization.Status, self.lang)
        self.designation_labels = choice_labels(OrganizationEvent.Kind, self.lang)
        self.citations = SourceCitations(self.lang)
        self.tz = timezone.get_current_timezone()
        order = (self.lang, *(code for code in LANGUAGE_CODES if code != self.lang))
        self.names, self.cities, self.addresses, self.short_names, self.descriptions = (
            attrgetter(*(f"{name}_{code}" for code in order))
            for name in ("name", "city", "address", "short_name", "description")
        )

    @property
    def regions(self) -> dict[int, Region]:
        if self._regions is None:
            self._regions = {
                region.pk: region
                for region in Region.objects.only("id", "slug", "name_ru", "name_en", "path")
            }
        return self._regions

    def region_path(self, region_id: int | None) -> str:
        """Names from the root down to the region itself, in one query per export."""
        if region_id is None:
            return ""
        if region_id not in self._paths:
            region = self.regions.get(region_id)
            if region is None:
                return ""
            names = [
                in_language(self.regions[i], "name", self.lang)[0]
                for i in Region.path_ids(region.path)
                if i in self.regions
            ]
            self._paths[region_id] = PATH_SEPARATOR.join(names)
        return self._paths[region_id]

    # cached_property: read as a plain attribute once worked out (once per row).
    @cached_property
    def region_labels(self) -> dict[int, tuple[str, str, str]]:
        """region id -> (name, path, slug) in the export's language, for every region at once."""
        return {
            pk: (in_language(region, "name", self.lang)[0], self.region_path(pk), region.slug)
            for pk, region in self.regions.items()
        }

    def load_regions(self) -> None:
        """Read every region (one query) and work out the names and paths of all."""
        self.region_labels  # noqa: B018

    @cached_property
    def url_parts(self) -> tuple[str, str]:
        """(before, after) the slug in a public page's address: one reverse() per export."""
        url = DetailUrl("directory:organization_detail", lang=self.lang, base_url=self.base_url)
        return url.prefix, url.suffix

    def activity_name(self, activity) -> str:
        """A type of work's name in the export's language, remembered for the next rows."""
        name = self.activity_names[activity.id] = next(filter(None, self.names(activity)), "")
        return name


def published_parent_slug() -> Subquery:
    """The slug of an organization's parent, when the parent is published (else null)."""
    return Subquery(
        Organization.objects.published().filter(pk=OuterRef("parent_id")).values("slug")[:1]
    )


def export_queryset(queryset):
    """``queryset`` with what ``organization_row`` reads, fetched in bulk."""
    return (
        queryset.select_related("region")
        .annotate(parent_slug=published_parent_slug())
        .prefetch_related(
            "phones",
            "activities",
            public_sources_prefetch(),
            Prefetch(
                "partners",
                queryset=Organization.objects.published().only("id", "slug"),
                to_attr="public_partners",
            ),
        )
    )


def _related(org, prefetched: str, relation: str):
    """The public list a selector prefetched (``public_phones``), else the relation."""
    items = getattr(org, prefetched, None)
    return items if items is not None else getattr(org, relation).all()


_NO_REGION = ("", "", "")
_FAX = Phone.Kind.FAX.value


def organization_row(org: Organization, ctx: ExportContext) -> dict:
    """One organization as typed values keyed by ``COLUMNS`` (JSON-ready).

    Called once per exported row: texts in the export's language come from
    ``ExportContext``'s getters (``next(filter(None, ...))`` is the first non-empty
    one), regions from its table, so nothing here queries or translates.
    """
    hidden = ctx.public and not org.contacts_public
    phones = () if hidden else _related(org, "public_phones", "phones")
    if phones:
        numbers = [p.number for p in phones if p.kind != _FAX]
        faxes = [p.number for p in phones if p.kind == _FAX]
    else:
        numbers, faxes = [], []
    names, activity_names = ctx.names, ctx.activity_names
    region, region_path, region_slug = ctx.region_labels.get(org.region_id, _NO_REGION)
    last_verified = org.last_verified
    updated_at = org.updated_at
    url_prefix, url_suffix = ctx.url_parts
    designations = org.designations
    sources = _related(org, "public_sources", "sources")
    kinds_of_work = _related(org, "public_activities", "activities")
    # Records carry their partners' slugs in order; model instances their partners
    # (``export_queryset``).
    partners = getattr(org, "partner_slugs", None)
    if partners is None:
        partners = sorted([partner.slug for partner in org.public_partners])
    return {
        "id": org.pk,
        "name": next(filter(None, names(org)), ""),
        "name_ru": org.name_ru or "",
        "name_en": org.name_en or "",
        "kind": ctx.kind_labels.get(org.kind, org.kind),
        "region": region,
        "region_path": region_path,
        "city": next(filter(None, ctx.cities(org)), ""),
        "address": "" if hidden else next(filter(None, ctx.addresses(org)), ""),
        "postal_code": "" if hidden else org.postal_code,
        "phones": numbers,
        "fax": faxes,
        "email": "" if hidden else org.email,
        "website": safe_url(org.website),
        "activities": sorted(
            [
                activity_names[activity.id]
                if activity.id in activity_names
                else ctx.activity_name(activity)
                for activity in kinds_of_work
            ]
        ),
        "founded": org.founded,
        "status": ctx.status_labels.get(org.status, org.status),
        "last_verified": last_verified.isoformat() if last_verified else None,
        # The site's time zone (astimezone, as timezone.localtime does for aware values).
        "updated_at": (
            # isoformat("T", "seconds"): timespec="seconds", without parsing a keyword
            updated_at.astimezone(ctx.tz).isoformat("T", "seconds") if updated_at else None
        ),
        "url": url_prefix + org.slug + url_suffix,
        "status_since": iso_of(org.status_since, org.status_since_precision),
        "designations": (
            [ctx.designation_labels.get(code, code) for code in designations.split()]
            if designations
            else []
        ),
        "contacts_as_of": (
            None if hidden else iso_of(org.contacts_as_of, org.contacts_as_of_precision)
        ),
        "sources": ctx.citations(sources) if sources else [],
        # SQLite's driver gives 0 or 1.
        "demo": bool(org.is_demo),
        "slug": org.slug,
        "kind_code": org.kind,
        "status_code": org.status,
        "region_slug": region_slug,
        "activity_slugs": sorted([activity.slug for activity in kinds_of_work]),
        "designation_codes": designations.split() if designations else [],
        "parent_slug": org.parent_slug or "",
        "partner_slugs": partners,
        "short_name": next(filter(None, ctx.short_names(org)), ""),
        "description": next(filter(None, ctx.descriptions(org)), ""),
    }


def split_multi(text: str) -> list[str]:
    """The values of a multi-value cell; ``;`` with or without a space separates."""
    return [part.strip() for part in text.split(";") if part.strip()]
