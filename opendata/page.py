"""What the data page shows (``data_page_content``): the views only render it.

- ``lists``: each list's title, downloads (every format of ``listing.exports.FORMATS``)
  and codebook: per column its key, label, type in words (several values noted),
  meaning, example and, for a code column with fixed codes, those codes;
- ``choices``, ``activities``, ``regions``: the vocabularies with both languages'
  labels (``opendata.vocabularies``); the region tree is flat, each region with its
  depth, so the page indents it;
- ``licence`` (the setting), ``citation`` (today's date), the latest snapshot if any.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Region
from listing import columns
from listing.dataset import citation, licence
from listing.exports import FORMATS

from . import snapshot, vocabularies
from .lists import DATA_LISTS

# A column's type in words (``listing.columns.TYPES``).
TYPE_WORDS = {
    columns.INTEGER: _("whole number"),
    columns.YEAR: _("year"),
    columns.STRING: _("text"),
    columns.BOOLEAN: _("1 (yes) or 0 (no)"),
    columns.DATE: _("date, YYYY-MM-DD"),
    columns.DATETIME: _("date and time, ISO 8601 with the offset"),
    columns.PARTIAL_DATE: _("year, month or day: YYYY, YYYY-MM or YYYY-MM-DD"),
    columns.URL: _("web address"),
    columns.EMAIL: _("email address"),
    columns.CODE: _("code"),
}
assert set(TYPE_WORDS) == set(columns.TYPES)


def codebook(column: columns.Column) -> dict:
    return {
        "key": column.key,
        "label": str(column.label),
        "type": TYPE_WORDS[column.type],
        "many": column.many,
        "meaning": column.meaning,
        "example": column.example,
        "codes": list(column.codes()) if column.codes else [],
    }


def region_tree(regions: list[vocabularies.RegionTerm]) -> list[dict]:
    """The flat tree (each region before its children) nested: ``{region, kind, children}``."""
    kinds = dict(Region.Kind.choices)
    roots: list[dict] = []
    stack: list[dict] = []
    for region in regions:
        node = {"region": region, "kind": kinds.get(region.kind, region.kind), "children": []}
        del stack[region.depth :]
        (stack[-1]["children"] if stack else roots).append(node)
        stack.append(node)
    return roots


def latest_snapshot() -> dict | None:
    """The newest snapshot's name and size, or None (also when pruned meanwhile)."""
    latest = snapshot.latest(settings.SNAPSHOT_DIR)
    try:
        return {"name": latest.name, "size": latest.stat().st_size} if latest else None
    except FileNotFoundError:
        return None


def data_page_content(lang: str, base_url: str) -> dict:
    """The data page's content in ``lang`` (the active language); ``base_url``: the
    site's address, for the citation."""
    page_url = base_url.rstrip("/") + reverse("opendata:data")
    return {
        "lists": [
            {
                "name": data_list.name,
                "title": data_list.title,
                "list_url": reverse(data_list.list_url_name),
                "downloads": [
                    (fmt, reverse(data_list.export_url_name, kwargs={"format": fmt}))
                    for fmt in FORMATS
                ],
                "columns": [codebook(column) for column in data_list.columns],
            }
            for data_list in DATA_LISTS
        ],
        "choices": vocabularies.choices(),
        "activities": vocabularies.activities(),
        "regions": region_tree(vocabularies.regions(lang)),
        "licence": licence(),
        "citation": citation(lang, url=page_url),
        "separator": columns.MULTI_SEPARATOR,
        "snapshot": latest_snapshot(),
        "today": timezone.localdate(),
    }
