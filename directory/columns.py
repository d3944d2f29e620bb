"""The organization columns shared by the public export and the staff import.

One definition, so that an exported file can be imported back unchanged.

Columns, in this order (``COLUMNS``, the keys are also the JSON keys)::

    id, name, name_ru, name_en, kind, region, region_path, city, address,
    postal_code, phones, fax, email, website, activities, founded, status,
    last_verified, updated_at, url, status_since, designations, contacts_as_of,
    sources, demo

New columns are appended at the end, so that files and programs made for the
earlier columns keep working.

Exporting (CSV or JSON)::

    ctx = ExportContext(lang="ru", base_url="https://example.org", public=True)
    writer.writerow(headers("ru"))
    for org in export_queryset(queryset).iterator(chunk_size=1000):
        row = organization_row(org, ctx)   # typed values: JSON as is
        writer.writerow(csv_cells(row, COLUMNS))  # strings: "; "-joined, neutralised

- ``headers(lang)`` are the column titles in the export's language (English ones
  are the keys themselves); ``header_map()`` recognises either language's titles.
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

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from listing.columns import DetailUrl, choice_labels, column_headers
from rightsnet.i18n import LANGUAGE_CODES, in_language
from rightsnet.links import safe_url

from .dates import iso_of
from .models import Organization, OrganizationEvent, Phone, Region, Source

PATH_SEPARATOR = " / "

# The contact columns that stay empty in a public export where contacts_public is off.
RESTRICTED_COLUMNS = ("address", "postal_code", "phones", "fax", "email", "contacts_as_of")
# Derived columns that an import never writes.
READ_ONLY_COLUMNS = ("name", "region_path", "updated_at", "url") + (
    # Written elsewhere: the events (status_since, designations), the admin (sources),
    # the demo generator (demo); the import says so where such a cell differs.
    "status_since", "designations", "sources", "demo",
)  # fmt: skip

COLUMN_TITLES = {
    "id": pgettext_lazy("export column", "id"),
    "name": pgettext_lazy("export column", "name"),
    "name_ru": pgettext_lazy("export column", "name_ru"),
    "name_en": pgettext_lazy("export column", "name_en"),
    "kind": pgettext_lazy("export column", "kind"),
    "region": pgettext_lazy("export column", "region"),
    "region_path": pgettext_lazy("export column", "region_path"),
    "city": pgettext_lazy("export column", "city"),
    "address": pgettext_lazy("export column", "address"),
    "postal_code": pgettext_lazy("export column", "postal_code"),
    "phones": pgettext_lazy("export column", "phones"),
    "fax": pgettext_lazy("export column", "fax"),
    "email": pgettext_lazy("export column", "email"),
    "website": pgettext_lazy("export column", "website"),
    "activities": pgettext_lazy("export column", "activities"),
    "founded": pgettext_lazy("export column", "founded"),
    "status": pgettext_lazy("export column", "status"),
    "last_verified": pgettext_lazy("export column", "last_verified"),
    "updated_at": pgettext_lazy("export column", "updated_at"),
    "url": pgettext_lazy("export column", "url"),
    "status_since": pgettext_lazy("export column", "status_since"),
    "designations": pgettext_lazy("export column", "designations"),
    "contacts_as_of": pgettext_lazy("export column", "contacts_as_of"),
    "sources": pgettext_lazy("export column", "sources"),
    "demo": pgettext_lazy("export column", "demo"),
}
COLUMNS: tuple[str, ...] = tuple(COLUMN_TITLES)


def headers(lang: str) -> list[str]:
    """The column titles in ``lang``."""
    return column_headers(COLUMN_TITLES, lang)


def header_key(title: str) -> str:
    """A header cell folded for matching: case, spaces and BOM do not matter."""
    return " ".join(title.replace("\ufeff", "").strip().lower().split())


def header_map() -> dict[str, tuple[str, frozenset[str]]]:
    """Folded title in any language -> (column key, languages using that title)."""
    found: dict[str, tuple[str, set[str]]] = {}
    for lang in LANGUAGE_CODES:
        for key, title in zip(COLUMNS, headers(lang), strict=True):
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

    def __post_init__(self):
        self.kind_labels = choice_labels(Organization.Kind, self.lang)
        self.status_labels = choice_labels(Organization.Status, self.lang)
        self.designation_labels = choice_labels(OrganizationEvent.Kind, self.lang)
        self.citations = SourceCitations(self.lang)
        self.tz = timezone.get_current_timezone()
        order = (self.lang, *(code for code in LANGUAGE_CODES if code != self.lang))
        self.names, self.cities, self.addresses = (
            attrgetter(*(f"{name}_{code}" for code in order))
            for name in ("name", "city", "address")
        )

    @property
    def regions(self) -> dict[int, Region]:
        if self._regions is None:
            self._regions = {
                region.pk: region
                for region in Region.objects.only("id", "name_ru", "name_en", "path")
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
    def region_labels(self) -> dict[int, tuple[str, str]]:
        """region id -> (name, path) in the export's language, for every region at once."""
        return {
            pk: (in_language(region, "name", self.lang)[0], self.region_path(pk))
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


def export_queryset(queryset):
    """``queryset`` with what ``organization_row`` reads, fetched in bulk."""
    return queryset.select_related("region").prefetch_related(
        "phones", "activities", public_sources_prefetch()
    )


def _related(org, prefetched: str, relation: str):
    """The public list a selector prefetched (``public_phones``), else the relation."""
    items = getattr(org, prefetched, None)
    return items if items is not None else getattr(org, relation).all()


_NO_REGION = ("", "")
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
    region, region_path = ctx.region_labels.get(org.region_id, _NO_REGION)
    last_verified = org.last_verified
    updated_at = org.updated_at
    url_prefix, url_suffix = ctx.url_parts
    designations = org.designations
    sources = _related(org, "public_sources", "sources")
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
                for activity in _related(org, "public_activities", "activities")
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
    }


def split_multi(text: str) -> list[str]:
    """The values of a multi-value cell; ``;`` with or without a space separates."""
    return [part.strip() for part in text.split(";") if part.strip()]
