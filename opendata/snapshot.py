"""The dated snapshot: the whole public directory as one zip, made by the exports' code.

``build(folder, base_url=...)`` writes ``rightsnet-YYYY-MM-DD.zip`` into ``folder``
(``settings.SNAPSHOT_DIR``) holding, for each language and list, the list's CSV file
(and its spreadsheet once ``"xlsx"`` is in ``listing.exports.FORMATS``), made as the
unfiltered download is (the list's search with no filters, its ``Export``, its
writer), so the snapshot equals the downloads of that moment; the vocabularies
(``regions.csv``, ``activities.csv``); a ``datapackage.json`` whose resources are the
zip's CSV files by relative path; and a ``README.md`` in both languages.

Safe from cron:

- one build at a time: an exclusive, non-blocking ``flock`` on ``.build.lock`` in the
  folder; a second run finds it held and stops with ``SnapshotBusy`` (nothing touched);
- atomic: the zip is written to a temporary file in the same folder, flushed to disk,
  then renamed over the day's name (``os.replace``), so a reader sees the previous file
  or the whole new one, never a part; a build that fails removes its temporary file and
  leaves the earlier snapshots as they were; temporary files left by a killed run are
  removed by the next one (under the lock, no other build can own them);
- ``keep``: after a build, only the newest ``keep`` snapshots stay (0: all).
"""

from __future__ import annotations

import datetime
import fcntl
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import orjson
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from listing.dataset import citation, licence
from listing.exports import FORMATS
from rightsnet.i18n import LANGUAGE_CODES

from .datapackage import data_package
from .lists import DATA_LISTS, DataList
from .vocabularies import VOCABULARY_FILES

SNAPSHOT_NAME = re.compile(r"^rightsnet-(\d{4}-\d{2}-\d{2})\.zip$")
LOCK_NAME = ".build.lock"
TEMP_PREFIX = ".rightsnet-building-"
# The formats of the lists' files in a snapshot (JSON holds the same values as CSV).
SNAPSHOT_FORMATS = tuple(fmt for fmt in ("csv", "xlsx") if fmt in FORMATS)


class SnapshotBusy(Exception):
    """Another build holds the lock."""


def snapshot_name(day: datetime.date) -> str:
    return f"rightsnet-{day.isoformat()}.zip"


def snapshots(folder: Path) -> list[Path]:
    """The folder's snapshots, oldest first (their names sort by date)."""
    if not folder.is_dir():
        return []
    return sorted(
        (path for path in folder.iterdir() if SNAPSHOT_NAME.match(path.name) and path.is_file()),
        key=lambda path: path.name,
    )


def latest(folder: Path) -> Path | None:
    found = snapshots(folder)
    return found[-1] if found else None


def list_file(data_list: DataList, lang: str, fmt: str = "csv") -> str:
    """A list's file inside the zip: ``ru/organizations.csv``."""
    return f"{lang}/{data_list.name}.{fmt}"


@contextmanager
def _lock(folder: Path) -> Iterator[None]:
    with open(folder / LOCK_NAME, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SnapshotBusy(f"another build_snapshot is running in {folder}") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(
    folder: Path, *, base_url: str, keep: int = 7, day: datetime.date | None = None
) -> tuple[Path, dict[str, int]]:
    """Write the day's snapshot; (its path, rows per list file). See the module."""
    day = day or timezone.localdate()
    folder.mkdir(parents=True, exist_ok=True)
    with _lock(folder):
        for stale in folder.glob(TEMP_PREFIX + "*"):
            stale.unlink(missing_ok=True)
        target = folder / snapshot_name(day)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=".zip")
        try:
            with os.fdopen(handle, "wb") as raw:
                with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                    counts = write(archive, base_url=base_url, day=day)
                raw.flush()
                os.fsync(raw.fileno())
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_folder(folder)
        if keep:
            for old in snapshots(folder)[:-keep]:
                old.unlink(missing_ok=True)
    return target, counts


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_export(archive: zipfile.ZipFile, name: str, data_list: DataList, lang, fmt, base_url):
    """One list's whole export in ``lang`` and ``fmt`` into the zip; its number of rows."""
    with translation.override(lang):
        result = data_list.listing.search({}, lang)
        total = result.total
        export = data_list.listing.export(result=result, base_url=base_url)
        with archive.open(name, "w", force_zip64=True) as member:
            if fmt == "xlsx":
                # The spreadsheet as the site makes it (listing.spreadsheet), its About
                # sheet naming the whole list.
                from listing import about, spreadsheet

                export.last_change = about.last_change(data_list.listing)
                list_url = base_url.rstrip("/") + reverse(data_list.list_url_name)
                with spreadsheet.make_file(
                    export,
                    lambda rows: about.about_file(
                        export, list_url=list_url, filters=[], made=timezone.now(), rows=rows
                    ),
                ) as file:
                    while chunk := file.read(1 << 20):
                        member.write(chunk)
            else:
                with closing(export.stream(fmt)) as pieces:
                    for piece in pieces:
                        member.write(piece)
    return total


def write(archive: zipfile.ZipFile, *, base_url: str, day: datetime.date) -> dict[str, int]:
    """The snapshot's files into ``archive``; rows per list file."""
    base_url = base_url.rstrip("/") + "/"
    counts: dict[str, int] = {}
    for lang in LANGUAGE_CODES:
        for data_list in DATA_LISTS:
            for fmt in SNAPSHOT_FORMATS:
                name = list_file(data_list, lang, fmt)
                counts[name] = _write_export(archive, name, data_list, lang, fmt, base_url)
    for vocabulary, rows in VOCABULARY_FILES.items():
        with archive.open(f"{vocabulary}.csv", "w") as member:
            for piece in rows():
                member.write(piece)
    created = timezone.now()
    package = data_package(
        lang="en",
        languages=LANGUAGE_CODES,
        list_path=lambda data_list, lang: list_file(data_list, lang),
        vocabulary_path=lambda vocabulary: f"{vocabulary}.csv",
        name=f"rightsnet-{day.isoformat()}",
        homepage=base_url,
        created=created,
    )
    archive.writestr("datapackage.json", orjson.dumps(package, option=orjson.OPT_INDENT_2) + b"\n")
    archive.writestr("README.md", readme(day=day, base_url=base_url, counts=counts).encode())
    return counts


def readme(*, day: datetime.date, base_url: str, counts: dict[str, int]) -> str:
    """The snapshot's README, in Russian, then in English."""
    data_licence = licence()
    parts = []
    for lang in LANGUAGE_CODES:
        with translation.override(lang):
            parts.append(
                render_to_string(
                    "data/snapshot_readme.txt",
                    {
                        "day": day,
                        "lang": lang,
                        "base_url": base_url,
                        "data_url": base_url.rstrip("/") + reverse("opendata:data"),
                        "licence": data_licence,
                        "citation": citation(
                            lang, title=snapshot_name(day), url=base_url, accessed=day
                        ),
                        "lists": [
                            {
                                "title": str(data_list.title),
                                "files": [
                                    (name, counts[name])
                                    for language in LANGUAGE_CODES
                                    for fmt in SNAPSHOT_FORMATS
                                    if (name := list_file(data_list, language, fmt)) in counts
                                ],
                            }
                            for data_list in DATA_LISTS
                        ],
                        "vocabularies": [f"{name}.csv" for name in VOCABULARY_FILES],
                    },
                ).strip()
            )
    return "\n\n---\n\n".join(parts) + "\n"
