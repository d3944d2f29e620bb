"""Frictionless Data Package descriptors, made from the exports' own column specs.

``data_package(...)`` describes the downloadable CSV files as a tabular data package
(https://specs.frictionlessdata.io/tabular-data-package/): one resource per list
(``DATA_LISTS``) and per vocabulary (``regions``, ``activities``), each with a Table
Schema generated from its ``listing.columns.Column`` specs (``field()``):

=============  =============================================================
Column type    Table Schema field
=============  =============================================================
integer        ``integer``
year           ``year``
string         ``string``
boolean        ``boolean``, ``trueValues ["1"]``, ``falseValues ["0"]``
date           ``date`` (YYYY-MM-DD)
datetime       ``datetime``, ``format "any"`` (ISO 8601 with the site's offset)
partial_date   ``string`` with a ``pattern``: YYYY, YYYY-MM or YYYY-MM-DD
url            ``string``, ``format "uri"``
email          ``string``, ``format "email"``
code           ``string``, ``constraints.enum`` from ``Column.codes`` when it has them
=============  =============================================================

A column of several values (``many``) is a ``string`` whose values are joined with
``"; "``; a code column of several values has a ``pattern`` of its codes so joined.
``id`` is each list's primary key (``slug`` a vocabulary's); single-valued code
columns that name a row of another resource of the package are foreign keys
(``DataList.foreign_keys``).

The CSV apostrophe rule (``listing.columns.neutralise``): a text cell that begins
with ``=``, ``+``, ``-`` or ``@`` starts with an apostrophe in the CSV, which is not
part of the value. Only unconstrained text columns can hold such a value (names,
addresses, phones): numbers, dates, partial dates, web addresses (http, https or
mailto), codes and slugs never begin with those characters, so no pattern or type
is broken by it; an email address so written stays a valid address (the apostrophe is
allowed in its local part). The package's and each such field's description say so.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from directory.models import Region
from listing import columns as listing_columns
from listing.dataset import citation, licence

from .lists import DATA_LISTS, DataList
from .vocabularies import ACTIVITY_COLUMNS, REGION_COLUMNS

PARTIAL_DATE_PATTERN = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\r\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
}
# UTF-8 (the IANA name the specification asks for); the files start with a byte-order
# mark, which readers of UTF-8 CSV skip (frictionless, pandas, R's readr, LibreOffice).
ENCODING = "utf-8"
FIELD_TYPES = {
    listing_columns.INTEGER: {"type": "integer"},
    listing_columns.YEAR: {"type": "year"},
    listing_columns.STRING: {"type": "string"},
    listing_columns.BOOLEAN: {"type": "boolean", "trueValues": ["1"], "falseValues": ["0"]},
    listing_columns.DATE: {"type": "date"},
    listing_columns.DATETIME: {"type": "datetime", "format": "any"},
    listing_columns.PARTIAL_DATE: {
        "type": "string",
        "constraints": {"pattern": PARTIAL_DATE_PATTERN},
    },
    listing_columns.URL: {"type": "string", "format": "uri"},
    listing_columns.EMAIL: {"type": "string", "format": "email"},
    listing_columns.CODE: {"type": "string"},
}


def field(column: listing_columns.Column) -> dict:
    """The Table Schema field of an export's column, described in the active language."""
    descriptor = {"name": column.key, "title": str(column.label)}
    spec = {
        key: (dict(value) if isinstance(value, dict) else value)
        for key, value in FIELD_TYPES[column.type].items()
    }
    description = str(column.meaning)
    if column.many:
        spec = {"type": "string"}
        description += " " + gettext('Several values are separated by "; ".')
    codes = column.codes() if column.codes else None
    if codes:
        if column.many:
            one = "(" + "|".join(re.escape(code) for code in codes) + ")"
            spec["constraints"] = {"pattern": f"{one}(; {one})*"}
        else:
            spec["constraints"] = {"enum": list(codes)}
    if column.type == listing_columns.STRING:
        description += " " + APOSTROPHE_NOTE()
    return {**descriptor, **spec, "description": description}


def APOSTROPHE_NOTE() -> str:  # noqa: N802 (a constant text, translated when read)
    return gettext(
        "In the CSV file a value that begins with =, +, - or @ starts with an apostrophe,"
        " which is not part of the value."
    )


def _foreign_keys(data_list: DataList, name_of: Callable[[str], str], names: set[str]) -> list:
    keys = []
    for column, target, target_column in data_list.foreign_keys:
        target_name = name_of(target)
        if target_name not in names:
            continue  # only where the target is a resource of the package
        reference = "" if target == data_list.name else target_name
        keys.append(
            {"fields": column, "reference": {"resource": reference, "fields": target_column}}
        )
    return keys


def _resource(name: str, path: str, title: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": ENCODING,
        "dialect": dict(DIALECT),
        "schema": schema,
    }


def list_resource(
    data_list: DataList, *, name: str, path: str, name_of: Callable[[str], str], names: set[str]
) -> dict:
    """A list's export as a resource, in the active language."""
    fields = [field(column) for column in data_list.columns]
    for item in fields:
        if item["name"] in ("id", "slug"):
            item["constraints"] = {**item.get("constraints", {}), "required": True, "unique": True}
    schema = {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
    keys = _foreign_keys(data_list, name_of, names)
    if keys:
        schema["foreignKeys"] = keys
    return _resource(
        name,
        path,
        str(data_list.title),
        gettext("Every published entry of the list, as its CSV download gives it."),
        schema,
    )


def _slug_field() -> dict:
    return {
        "name": "slug",
        "type": "string",
        "title": pgettext("export column", "slug"),
        "description": gettext("The code, as the exports' code columns hold it."),
        "constraints": {"required": True, "unique": True},
    }


def _name_fields() -> list[dict]:
    return [
        {"name": "name_ru", "type": "string", "title": gettext("Name in Russian")},
        {"name": "name_en", "type": "string", "title": gettext("Name in English")},
    ]


def regions_resource(*, name: str, path: str, name_of: Callable[[str], str]) -> dict:
    fields = [
        _slug_field(),
        *_name_fields(),
        {
            "name": "parent_slug",
            "type": "string",
            "title": gettext("Parent region"),
            "description": gettext("The slug of the region it lies in; empty at the top."),
        },
        {
            "name": "kind",
            "type": "string",
            "title": gettext("Kind of region"),
            "constraints": {"enum": list(Region.Kind.values)},
        },
        {
            "name": "path",
            "type": "string",
            "title": gettext("Path"),
            "description": gettext(
                'The slugs from the top of the tree down to it, joined with "/".'
            ),
        },
    ]
    assert tuple(f["name"] for f in fields) == REGION_COLUMNS
    schema = {
        "fields": fields,
        "primaryKey": ["slug"],
        "missingValues": [""],
        "foreignKeys": [{"fields": "parent_slug", "reference": {"resource": "", "fields": "slug"}}],
    }
    return _resource(
        name,
        path,
        gettext("Regions"),
        gettext("The region tree, with names in both languages."),
        schema,
    )


def activities_resource(*, name: str, path: str) -> dict:
    fields = [_slug_field(), *_name_fields()]
    assert tuple(f["name"] for f in fields) == ACTIVITY_COLUMNS
    schema = {"fields": fields, "primaryKey": ["slug"], "missingValues": [""]}
    return _resource(
        name,
        path,
        gettext("Types of work"),
        gettext("The types of work, with names in both languages."),
        schema,
    )


def data_package(
    *,
    lang: str,
    list_path: Callable[[DataList, str], str],
    vocabulary_path: Callable[[str], str],
    languages: tuple[str, ...] | None = None,
    name: str = "rightsnet",
    homepage: str = "",
    created: datetime.datetime | None = None,
) -> dict:
    """The package descriptor, its texts in ``lang``.

    ``languages``: the languages of the lists' files it holds (the site's package: its
    page's language only, resources named after the lists; a snapshot: both, resources
    named ``organizations_ru``). ``list_path(data_list, language)`` and
    ``vocabulary_path("regions")`` give each file's path (absolute URLs on the site,
    paths inside the zip of a snapshot).
    """
    languages = languages or (lang,)
    created = created or timezone.now()
    with translation.override(lang):
        resources = []
        names = {"regions", "activities"}

        for language in languages:
            suffix = "" if len(languages) == 1 else f"_{language}"
            names |= {data_list.name + suffix for data_list in DATA_LISTS}
        for language in languages:
            suffix = "" if len(languages) == 1 else f"_{language}"

            def name_of(target: str, suffix=suffix) -> str:
                return target if target in ("regions", "activities") else target + suffix

            with translation.override(language):
                for data_list in DATA_LISTS:
                    resources.append(
                        list_resource(
                            data_list,
                            name=data_list.name + suffix,
                            path=list_path(data_list, language),
                            name_of=name_of,
                            names=names,
                        )
                    )
        resources.append(
            regions_resource(name="regions", path=vocabulary_path("regions"), name_of=str)
        )
        resources.append(activities_resource(name="activities", path=vocabulary_path("activities")))
        data_licence = licence()
        descriptor = {
            "profile": "tabular-data-package",
            "name": name,
            "title": pgettext("citation", "rightsnet, directory of human rights organizations"),
            "description": gettext(
                "The published entries of rightsnet's lists (organizations, people,"
                " publications, practical experience) as CSV files, with the vocabularies of"
                " their code columns (regions, types of work)."
            )
            + " "
            + APOSTROPHE_NOTE(),
            "created": created.astimezone(datetime.UTC)
            .isoformat(timespec="seconds")
            .replace("+00:00", "Z"),
            "licenses": [{"title": data_licence.name, "path": data_licence.url}],
            "citation": citation(lang, url=homepage, accessed=timezone.localdate(created)),
            "resources": resources,
        }
        if homepage:
            descriptor["homepage"] = homepage
        return descriptor
