"""The export writers against the plain implementations they stand in for.

``csv_line`` and the one-pass row writer against ``csv.writer``, orjson against
``json.dumps``, the stream made with the cycle collector paused against the writers
read directly: the same bytes.
"""

import csv
import datetime
import io
import json
import random

import pytest

from listing import exports
from listing.columns import csv_cells


def stdlib_json_array(objects: list) -> bytes:
    """What the JSON export writes, written by the standard library instead of orjson."""
    dumps = [json.dumps(o, ensure_ascii=False, separators=(",", ":")) for o in objects]
    return ("[" + ("\n" + ",\n".join(dumps) if dumps else "") + "\n]\n").encode("utf-8")


def test_json_objects_are_the_standard_librarys_bytes():
    rng = random.Random(8259)
    alphabet = "ab ,;\"\r\n\t\\/<>&'=+-@Жё\u2028\u0000\u001f\u007f\U0001f600"
    for _ in range(2000):
        objects = [
            {
                "id": rng.randint(-(2**40), 2**40),
                "text": "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))),
                "list": ["".join(rng.choice(alphabet) for _ in range(3))],
                "none": None,
                "flag": rng.random() < 0.5,
            }
            for _ in range(rng.randint(0, 3))
        ]
        export = exports.Export("things", ("id",), ["id"], objects, "en")
        assert b"".join(exports.stream_json(export)) == stdlib_json_array(objects)


AWKWARD_CELLS = [
    [""],
    ["", ""],
    ["a"],
    ['"'],
    ['say "hi"', "a,b", "line\nbreak", "cr\rhere", "crlf\r\nend", "tab\there"],
    [" leading", "trailing ", "'apostrophe", "=1+2", "Москва, ул. Ленина"],
    ['""', ",", "\n", "\r\n", ";", "\\"],
]


@pytest.mark.parametrize("cells", AWKWARD_CELLS)
def test_csv_line_is_what_csv_writer_writes(cells):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    assert exports.csv_line(cells) + "\r\n" == out.getvalue()


def test_csv_line_agrees_with_csv_writer_on_random_cells():
    rng = random.Random(4180)
    alphabet = "ab ,;\"\r\n\t'=+-@Жё"
    for _ in range(2000):
        cells = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
            for _ in range(rng.randint(1, 5))
        ]
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(cells)
        assert exports.csv_line(cells) + "\r\n" == out.getvalue(), cells


def test_export_lines_agree_with_csv_writer_over_the_shared_cells():
    """``_line_function`` (cells made and quoted in one pass) against the obvious way."""
    rng = random.Random(4180)
    alphabet = "ab ,;\"\r\n\t'=+-@Жё07()"

    def text():
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))

    values = [
        text,
        lambda: None,
        lambda: rng.randint(-5, 5),
        lambda: [text() for _ in range(rng.randint(0, 3))],
        lambda: [rng.randint(-2, 2), text()],
        lambda: datetime.date(2020, 1, rng.randint(1, 9)),
        lambda: rng.random() < 0.5,
        # Telephone numbers, plain (no apostrophe) or not (listing.columns.is_plain_phones).
        lambda: rng.choice(
            ["+7 095 206-81-71", "+74951234567", "+7 095 x", ["+7 (495) 1-2", "095 1"], ["+7 1"]]
        ),
    ]
    for width in (1, 2, 5):
        keys = tuple(f"k{n}" for n in range(width))
        line = exports._line_function(keys)
        for _ in range(1000):
            row = {key: rng.choice(values)() for key in keys}
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerow(csv_cells(row, keys))
            assert line(row) + "\r\n" == out.getvalue(), row


def test_booleans_are_one_and_zero_in_csv_and_true_and_false_in_json():
    rows = [{"id": 1, "demo": True}, {"id": 2, "demo": False}]
    export = exports.Export("things", ("id", "demo"), ["id", "demo"], rows, "en")

    assert b"".join(exports.stream_csv(export)) == b"\xef\xbb\xbfid,demo\r\n1,1\r\n2,0\r\n"
    assert b"".join(exports.stream_json(export)) == (
        b'[\n{"id":1,"demo":true},\n{"id":2,"demo":false}\n]\n'
    )
    assert csv_cells({"demo": True}, ("demo",)) == ["1"]


def test_the_stream_is_the_writers_bytes():
    """``Export.stream`` (pieces made with the cycle collector paused) adds nothing."""
    rng = random.Random(7)
    rows = [
        {"id": n, "text": rng.choice(["a", "=b", 'c,"d"', "Жё\r\n", None])} for n in range(1200)
    ]
    for fmt, writer in (("csv", exports.stream_csv), ("json", exports.stream_json)):
        plain = b"".join(writer(exports.Export("things", ("id", "text"), ["id", "t"], rows, "en")))
        export = exports.Export("things", ("id", "text"), ["id", "t"], iter(rows), "en")
        export.start()
        assert b"".join(export.stream(fmt)) == plain
