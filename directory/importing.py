"""Reading and checking an organizations CSV for the staff import.

The file has the columns of the public export (``directory.columns``), with
either language's headers, in any order and any subset that identifies rows
(``id``, ``slug``, ``url`` or a name). ``read_csv`` turns bytes into a
``CsvTable`` or file-level problems; ``services.organization_import`` then
matches, compares, validates and writes each row.

A cell is compared with what the export would write for the organization now;
only cells that differ are parsed and written, so a file just exported imports
with no change at all. Some columns are read but never written (``NOT_IMPORTED``):
where such a cell differs, the preview says why it is left as it is.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from listing.columns import choice_labels, unneutralise
from rightsnet.i18n import LANGUAGE_CODES
from rightsnet.text import fold_latin, normalize

from . import columns
from .dates import PartialDate
from .models import MAX_YEAR, MIN_YEAR, ActivityType, Organization, Region

IDENTIFYING_COLUMNS = ("id", "slug", "url", "name", "name_ru", "name_en")
DELIMITERS = (",", ";", "\t")
MAX_PROBLEMS_PER_ROW = 20
# Columns of the export that the import never writes, and why, as the preview says it
# where a cell differs from what the export writes now (other read-only columns, such
# as the page address, are left out without a word).
NOT_IMPORTED = {
    "status_since": gettext_lazy(
        "Not imported: the status and its date follow the organization's events; "
        "change those in the admin."
    ),
    "designations": gettext_lazy(
        "Not imported: designations follow the organization's events; change those in the admin."
    ),
    "sources": gettext_lazy("Not imported: sources are chosen in the admin."),
    "demo": gettext_lazy("Not imported: demo entries come from the demo generator only."),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: spreadsheet row number (header = 1) and column."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        place = []
        if self.row is not None:
            place.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            place.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(place)}: {self.message}" if place else self.message


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: str
    new: str


@dataclass
class RowResult:
    """What one data row does: create, update (with its field changes) or nothing."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ACTION_LABELS = {
        CREATE: gettext_lazy("new"),
        UPDATE: gettext_lazy("changed"),
        UNCHANGED: gettext_lazy("unchanged"),
    }

    row: int
    action: str
    name: str
    organization_id: int | None = None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(self.ACTION_LABELS[self.action])


@dataclass
class CsvTable:
    """The parsed file: language of its headers, column keys, data rows."""

    lang: str = "en"
    lang_from_header: bool = False
    columns: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    records: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    lang: str = "en"
    rows: list[RowResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    written: bool = False
    stale: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count(RowResult.CREATE)

    @property
    def updated(self) -> int:
        return self.count(RowResult.UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(RowResult.UNCHANGED)

    @property
    def changed_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.action != RowResult.UNCHANGED]

    def fingerprint(self) -> str:
        """Identifies exactly what would be written, to detect changes since a preview."""
        data = [
            [
                row.row,
                row.action,
                # A new row's id comes from a sequence that a rollback does not reset.
                None if row.action == RowResult.CREATE else row.organization_id,
                [[c.column, c.old, c.new] for c in row.changes],
            ]
            for row in self.rows
        ]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def read_csv(data: bytes, *, max_bytes: int) -> CsvTable:
    """Decode and split a CSV file; everything wrong with it becomes a ``Problem``."""
    table = CsvTable()
    if len(data) > max_bytes:
        table.problems.append(Problem(None, "", file_too_large_message(len(data), max_bytes)))
        return table
    if b"\x00" in data:
        table.problems.append(
            Problem(None, "", _("This is not a CSV text file (it contains binary data)."))
        )
        return table
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        table.problems.append(
            Problem(
                None,
                "",
                _(
                    "The file is not UTF-8 text (unreadable byte at position %(position)s). "
                    "Save it as “CSV UTF-8”."
                )
                % {"position": error.start},
            )
        )
        return table
    text = text.lstrip("\ufeff")
    if not text.strip():
        table.problems.append(Problem(None, "", _("The file is empty.")))
        return table

    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        for cells in reader:
            rows.append(cells)
    except csv.Error as error:
        table.problems.append(
            Problem(
                len(rows) + 1,
                "",
                _("The CSV is malformed here (%(error)s); check the quotes in this row.")
                % {"error": error},
            )
        )
        return table

    _read_header(table, rows[0])
    if table.problems:
        return table
    width = len(rows[0])
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            table.problems.append(
                Problem(
                    number,
                    "",
                    _("This row has %(cells)s cells but the header has %(columns)s.")
                    % {"cells": len(cells), "columns": width},
                )
            )
            continue
        cells = cells + [""] * (width - len(cells))
        record = {key: cells[index] for index, key in enumerate(table.columns) if key is not None}
        table.records.append((number, record))
    if not table.lang_from_header:
        table.lang = _language_of_labels(table.records) or table.lang
    if not table.records and not table.problems:
        table.problems.append(Problem(None, "", _("The file has a header but no rows.")))
    return table


def _read_header(table: CsvTable, header: list[str]) -> None:
    known = columns.header_map()
    votes = {lang: 0 for lang in LANGUAGE_CODES}
    seen: dict[str, str] = {}
    keys: list[str | None] = []
    for title in header:
        found = known.get(columns.header_key(title))
        if found is None:
            if title.strip():
                table.warnings.append(
                    Problem(1, title.strip(), _("Unknown column; it is ignored."))
                )
            keys.append(None)
            continue
        key, langs = found
        if key in seen:
            table.problems.append(
                Problem(1, title.strip(), _("This column appears twice in the header."))
            )
        seen[key] = title.strip()
        keys.append(key)
        if len(langs) == 1:
            votes[next(iter(langs))] += 1
    table.columns = keys
    table.titles = seen
    if not table.problems and not any(key in seen for key in IDENTIFYING_COLUMNS):
        table.problems.append(
            Problem(
                1,
                "",
                _(
                    "No column identifies the organizations: the file needs id, url or a name "
                    "(headers as in the export, in Russian or English)."
                ),
            )
        )
    if any(votes.values()):
        table.lang = max(votes, key=lambda lang: votes[lang])
        table.lang_from_header = True


def _language_of_labels(records: list[tuple[int, dict[str, str]]]) -> str | None:
    """The language of the kind and status labels, for headers that are the same in both."""
    votes = {lang: 0 for lang in LANGUAGE_CODES}
    labels = {
        lang: {
            normalize(label)
            for choices in (Organization.Kind, Organization.Status)
            for label in choice_labels(choices, lang).values()
        }
        for lang in LANGUAGE_CODES
    }
    for _number, cells in records[:200]:
        for key in ("kind", "status"):
            text = normalize(cells.get(key, ""))
            matches = [lang for lang in labels if text in labels[lang]]
            if len(matches) == 1:
                votes[matches[0]] += 1
    if any(votes.values()):
        return max(votes, key=lambda lang: votes[lang])
    return None


def file_too_large_message(size: int, limit: int) -> str:
    return _(
        "The file is %(size)s; the limit is %(limit)s. Split it into smaller files "
        "or ask an administrator to run the import_organizations command."
    ) % {"size": filesizeformat(size), "limit": filesizeformat(limit)}


def clean_cell(text: str) -> str:
    """A cell as compared and stored: neutralising apostrophe removed, ends trimmed."""
    return unneutralise(text.replace("\r\n", "\n").strip()).strip()


_SLUG_FROM_URL = re.compile(r"/organizations/([-\w]+)/?$")


def slug_from_url(url: str) -> str:
    found = _SLUG_FROM_URL.search(url.strip())
    return found.group(1) if found else ""


class Vocabulary:
    """Regions, types of work and choice labels, loaded once per import."""

    def __init__(self):
        self.kinds = self._choices(Organization.Kind)
        self.statuses = self._choices(Organization.Status)
        self.regions_by_name: dict[str, list[Region]] = {}
        self.regions_by_path: dict[str, Region] = {}
        regions = list(Region.objects.all())
        self.all_regions = regions
        contexts = {lang: columns.ExportContext(lang=lang, public=False) for lang in LANGUAGE_CODES}
        for region in regions:
            for name in {self.fold(n) for n in (region.name_ru, region.name_en, region.slug) if n}:
                self.regions_by_name.setdefault(name, []).append(region)
            for ctx in contexts.values():
                ctx._regions = {r.pk: r for r in regions}
                path = ctx.region_path(region.pk)
                if path:
                    self.regions_by_path[self.fold(path)] = region
        self.activities: dict[str, ActivityType] = {}
        for activity in ActivityType.objects.all():
            for name in (activity.name_ru, activity.name_en, activity.slug):
                if name:
                    self.activities.setdefault(self.fold(name), activity)

    @staticmethod
    def fold(text: str) -> str:
        return normalize(text)

    def _choices(self, choices) -> dict[str, str]:
        found = {}
        for lang in LANGUAGE_CODES:
            for value, label in choice_labels(choices, lang).items():
                found[self.fold(label)] = value
                found[self.fold(value)] = value
        return found

    def choice(self, text: str, found: dict[str, str], choices) -> str:
        value = found.get(self.fold(text))
        if value is None:
            labels = ", ".join(f"“{label}”" for label in choices.labels)
            raise ValidationError(
                _("Unknown value “%(value)s”. Use one of: %(labels)s.")
                % {"value": text, "labels": labels}
            )
        return value

    def region(self, name: str, path: str) -> Region | None:
        if not name and not path:
            return None
        if not name:
            found = self.regions_by_path.get(self.fold(path))
            if found is None:
                raise ValidationError(_("Unknown region “%(region)s”.") % {"region": path})
            return found
        candidates = self.regions_by_name.get(self.fold(name), [])
        if not candidates:
            raise ValidationError(_("Unknown region “%(region)s”.") % {"region": name})
        if len(candidates) == 1:
            return candidates[0]
        by_path = self.regions_by_path.get(self.fold(path)) if path else None
        if by_path in candidates:
            return by_path
        raise ValidationError(
            _(
                "Several regions are called “%(region)s”; fill in region_path "
                "(as in the export) to say which."
            )
            % {"region": name}
        )

    def activity_list(self, text: str) -> list[ActivityType]:
        found, unknown = [], []
        for name in columns.split_multi(text):
            activity = self.activities.get(self.fold(name))
            if activity is None:
                unknown.append(name)
            elif activity not in found:
                found.append(activity)
        if unknown:
            raise ValidationError(
                _("Unknown type of work: %(names)s.")
                % {"names": ", ".join(f"“{n}”" for n in unknown)}
            )
        return found


def parse_year(text: str) -> int | None:
    if not text:
        return None
    try:
        year = int(text.split(".")[0] if re.fullmatch(r"\d+\.0+", text) else text)
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a year.") % {"value": text}) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _("The year %(year)s is not between %(min)s and %(max)s.")
            % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year


def parse_date(text: str) -> datetime.date | None:
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            value = datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            break
        return value
    raise ValidationError(_("“%(value)s” is not a date; write it as 2026-11-22.") % {"value": text})


def parse_partial_date(text: str) -> PartialDate | None:
    """ "1997", "1997-01" or "1997-01-25" (``PartialDate.parse``); empty is no date."""
    if not text:
        return None
    try:
        return PartialDate.parse(text)
    except ValidationError as error:
        raise ValidationError(
            _("“%(value)s”: %(error)s") % {"value": text, "error": " ".join(error.messages)}
        ) from None


def parse_email(text: str) -> str:
    if text:
        try:
            EmailValidator()(text)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a valid email address.") % {"value": text}
            ) from None
    return text


def parse_website(text: str) -> str:
    if text:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a web address; it must start with http:// or https://.")
                % {"value": text}
            ) from None
    return text


def parse_numbers(text: str) -> list[str]:
    numbers = columns.split_multi(text)
    for number in numbers:
        if len(number) > 40:
            raise ValidationError(
                _("The number “%(value)s” is longer than 40 characters.") % {"value": number}
            )
    return numbers


def normalise_for_compare(key: str, text: str) -> object:
    """Cell text in the form used to decide whether a column changed."""
    if key in ("phones", "fax"):
        return columns.split_multi(text)
    if key in ("activities", "designations"):
        return sorted(normalize(name) for name in columns.split_multi(text))
    if key in ("kind", "status", "region", "sources"):
        return normalize(text)
    if key == "demo":
        return normalize(text) not in ("", "0")
    return text


def names_similar(left: str, right: str) -> bool:
    return fold_latin(left) == fold_latin(right)
