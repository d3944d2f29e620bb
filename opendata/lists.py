"""The four public lists as the data page, the data package and the snapshot see them.

Each ``DataList`` names its ``Listing`` (whose search and export make the files), its
columns (``listing.columns.Column`` specs), its export's URL name and the foreign keys
of its single-valued code columns: ``(column, target, target column)``, where the
target is another list or a vocabulary (``regions``, ``activities``). Columns holding
several codes (``activity_slugs``) have no foreign key: a Table Schema key holds one
value per cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from directory.columns import COLUMN_SPECS
from directory.listings import ORGANIZATIONS, PEOPLE, PRACTICES
from directory.person_columns import PERSON_COLUMN_SPECS
from directory.practice_columns import PRACTICE_COLUMN_SPECS
from listing.columns import Column
from listing.listing import Listing
from publications.columns import PUBLICATION_COLUMN_SPECS
from publications.listings import PUBLICATIONS


@dataclass(frozen=True)
class DataList:
    name: str  # "organizations": the export's name, the package's resource name
    title: object  # a lazy translation
    listing: Listing
    columns: tuple[Column, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()

    @property
    def export_url_name(self) -> str:
        return self.listing.export_url_name

    @property
    def list_url_name(self) -> str:
        """The list page's URL name: ``listing_urls`` names it ``<name>_list`` beside
        ``<name>_export``."""
        return self.export_url_name.removesuffix("_export") + "_list"


DATA_LISTS: tuple[DataList, ...] = (
    DataList(
        "organizations",
        _("Organizations"),
        ORGANIZATIONS,
        COLUMN_SPECS,
        (
            ("region_slug", "regions", "slug"),
            ("parent_slug", "organizations", "slug"),
        ),
    ),
    DataList(
        "people", _("People"), PEOPLE, PERSON_COLUMN_SPECS, (("region_slug", "regions", "slug"),)
    ),
    DataList(
        "publications",
        _("Publications"),
        PUBLICATIONS,
        PUBLICATION_COLUMN_SPECS,
        (("publisher_slug", "organizations", "slug"),),
    ),
    DataList("practices", _("Practical experience"), PRACTICES, PRACTICE_COLUMN_SPECS),
)
