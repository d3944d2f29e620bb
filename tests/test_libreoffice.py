"""The exports as LibreOffice Calc reads them: opened the default way, values back.

Each downloaded file is opened by LibreOffice Calc itself, headless, with no import options
(no ``--infilter``: what a double click does without the import dialog), saved as CSV and
read back with Python's ``csv`` module; every cell is compared with the JSON export's value
for the same row and column. One ``soffice`` run converts the Russian and the English file,
with a fresh user profile in ``tmp_path``.

A CSV file cannot give every value back, whatever it is written like; the differences are
exactly these (``read_by_calc``), and ``templates/data/_csv_rule.html`` tells researchers:

- LibreOffice's import without options reads the bytes as Windows-1252, whatever the file
  says (the charset is fixed in its code for this case, and the BOM is then not looked at),
  so Cyrillic comes out garbled. Its import dialog, shown when a file is opened by hand,
  sees the BOM and proposes UTF-8; no CSV can change the optionless import.
- A cell of digits alone is a number: the postal code ``01001`` becomes ``1001``.
- A cell that could be a formula keeps the apostrophe that makes it text
  (``listing.columns.neutralise``); plain telephone numbers have none.

The spreadsheet export (``export.xlsx``) is read the same way and gives every value back
unchanged: Cyrillic, the postal code ``01001``, phones and formula-like names as text (a
date-time shows as the spreadsheet's date-time, in the site's time).
"""

import csv
import datetime
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from directory.columns import COLUMN_SPECS
from directory.models import Phone
from listing.columns import neutralise
from tests.factories import (
    ActivityTypeFactory,
    OrganizationFactory,
    PhoneFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# LibreOffice's CSV *writer* options (the output, not the import): comma, double quote,
# UTF-8 (76). Its default output charset is Windows-1252 like its default input, which
# would hand the file's bytes back unchanged and hide what the cells hold.
CSV_OUTPUT = "csv:Text - txt - csv (StarCalc):44,34,76"
BOM = "\ufeff"


def calc_to_csv(files: list[Path], folder: Path) -> dict[str, list[list[str]]]:
    """Each file opened by LibreOffice Calc with no import options and saved as CSV, read
    back: file name -> rows. One ``soffice`` run for all, with its own fresh profile."""
    assert SOFFICE, "LibreOffice is missing: run scripts/ensure-libreoffice (make test does)"
    out = folder / "calc"
    profile = folder / "libreoffice-profile"
    command = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        CSV_OUTPUT,
        "--outdir",
        str(out),
        *map(str, files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    rows = {}
    for file in files:
        converted = out / f"{file.stem}.csv"
        assert converted.exists(), (file.name, done.returncode, done.stdout, done.stderr)
        with converted.open(encoding="utf-8", newline="") as text:
            rows[file.name] = list(csv.reader(text))
    return rows


def as_windows_1252(text: str) -> str:
    """UTF-8 text as LibreOffice shows it read as Windows-1252 (its five unassigned bytes
    become private-use characters U+F181 and so on)."""
    return "".join(
        bytes([byte]).decode("cp1252", errors="ignore") or chr(0xF100 + byte)
        for byte in text.encode("utf-8")
    )


def read_by_calc(fmt: str, text: str, key: str = "") -> str:
    """What LibreOffice shows, opening the ``fmt`` export, for a cell whose value is ``text``
    (in column ``key``)."""
    if fmt == "xlsx":
        # A date-time is a real one, in the site's time (the About sheet says so), shown
        # as the spreadsheet writes it; every other cell is the JSON value as it is.
        if key in DATETIMES and text:
            return datetime.datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M:%S")
        return text
    text = neutralise(text)
    if text.isdigit():
        text = str(int(text))
    return as_windows_1252(text)


def cell_text(value) -> str:
    """A JSON value as text: lists joined with "; " as in the CSV, booleans 1 and 0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


@pytest.fixture
def awkward():
    """Organizations with the values spreadsheets get wrong, all in Kyiv."""
    kyiv = RegionFactory(name_ru="Киев", name_en="Kyiv", slug="kyiv")
    cyrillic = OrganizationFactory(
        name_ru="Правозащитный центр «Мемориал»",
        name_en="",
        region=kyiv,
        city_ru="Киев",
        city_en="Kyiv",
        address_ru="ул. Крещатик, 1\nкв. 2",
        address_en="1 Khreshchatyk St.\nflat 2",
        postal_code="01001",
        email="centre@example.org",
        website="https://example.org/",
        founded=1989,
        last_verified=datetime.date(2023, 1, 25),
        activities=[
            ActivityTypeFactory(name_ru="Мониторинг", name_en="Monitoring"),
            ActivityTypeFactory(name_ru="Правовая помощь", name_en="Legal aid"),
        ],
    )
    PhoneFactory(organization=cyrillic, number="+7 095 206-81-71")
    PhoneFactory(organization=cyrillic, number="095-206-85-07")
    PhoneFactory(organization=cyrillic, number="+380 44 123-45-67", kind=Phone.Kind.FAX)
    formulas = OrganizationFactory(
        name_ru='=HYPERLINK("http://x";"y")',
        name_en="+cmd|' /C calc'!A0",
        region=kyiv,
        city_ru="@SUM(1+1)",
        city_en="@SUM(1+1)",
        address_ru="-2+3",
        address_en="-2+3",
        postal_code="04070",
    )
    PhoneFactory(organization=formulas, number="+74951234567")
    OrganizationFactory(name_en="Elsewhere", name_ru="В другом месте")  # not in the download
    return {"cyrillic": cyrillic, "formulas": formulas}


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


DATETIMES = {spec.key for spec in COLUMN_SPECS if spec.type == "datetime"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_libreoffice_reads_the_json_values(client, awkward, tmp_path, fmt):
    files, expected = [], {}
    for lang in ("ru", "en"):
        file = tmp_path / f"organizations-{lang}.{fmt}"
        file.write_bytes(download(client, f"/{lang}/organizations/export.{fmt}?region=kyiv"))
        files.append(file)
        body = download(client, f"/{lang}/organizations/export.csv?region=kyiv")
        headers = next(csv.reader(io.StringIO(body.decode("utf-8").removeprefix(BOM))))
        if fmt == "csv":
            headers[0] = BOM + headers[0]  # the file's first characters, to LibreOffice
        objects = json.loads(download(client, f"/{lang}/organizations/export.json?region=kyiv"))
        expected[file.name] = [
            [read_by_calc(fmt, header) for header in headers],
            *(
                [read_by_calc(fmt, cell_text(value), key) for key, value in row.items()]
                for row in objects
            ),
        ]
        assert len(objects) == 2
        assert len(headers) == len(objects[0])

    read = calc_to_csv(files, tmp_path)

    for name, rows in expected.items():
        assert read[name] == rows, name

    # The awkward cells, spelt out (the English file, whose headers are the keys).
    header, *rows = read[f"organizations-en.{fmt}"]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    cyrillic, formulas = by_id[str(awkward["cyrillic"].pk)], by_id[str(awkward["formulas"].pk)]
    assert cyrillic["phones"] == "+7 095 206-81-71; 095-206-85-07"  # no apostrophe
    assert cyrillic["fax"] == "+380 44 123-45-67"
    assert cyrillic["address"] == "1 Khreshchatyk St.\nflat 2"
    assert cyrillic["founded"] == "1989"
    assert cyrillic["last_verified"] == "2023-01-25"  # a date, shown as it was written
    assert cyrillic["activities"] == "Legal aid; Monitoring"
    if fmt == "csv":
        assert cyrillic["postal_code"] == "1001"  # a number: its leading zero is gone
        assert cyrillic["name"] == as_windows_1252("Правозащитный центр «Мемориал»")
        assert cyrillic["name"].startswith("ÐŸÑ€Ð°Ð²")
        assert formulas["name"] == "'+cmd|' /C calc'!A0"  # text, never run
        assert formulas["city"] == "'@SUM(1+1)"
        assert formulas["address"] == "'-2+3"
        assert formulas["phones"] == "'+74951234567"
    else:
        assert cyrillic["postal_code"] == "01001"
        assert cyrillic["name"] == "Правозащитный центр «Мемориал»"
        assert formulas["name"] == "+cmd|' /C calc'!A0"
        assert formulas["phones"] == "+74951234567"
