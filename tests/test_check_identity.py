"""scripts/check_identity.py's compare: equal snapshots pass, a changed byte or a higher
query count fails, a lower count is reported but passes."""

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_identity.py"
spec = importlib.util.spec_from_file_location("check_identity", SCRIPT)
check_identity = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_identity)

URL = "/ru/organizations/?q=права"


def _snapshot(directory: Path, *, body=b"<p>1 organization</p>\n", queries=(9, 4), header="1"):
    directory.mkdir()
    (directory / "000.body").write_bytes(body)
    entry = {
        "status": 200,
        "headers": {"Content-Type": "text/html; charset=utf-8", "X-Total-Count": header},
        "queries": list(queries),
        "body": "000.body",
    }
    (directory / "index.json").write_text(json.dumps({URL: entry, "/robots.txt": entry}))
    return directory


@pytest.fixture
def old(tmp_path):
    return _snapshot(tmp_path / "old")


def test_equal_snapshots_pass(old, tmp_path, capsys):
    assert check_identity.compare(old, _snapshot(tmp_path / "new")) == 0
    assert "2 URLs identical" in capsys.readouterr().out


def test_a_changed_byte_fails_with_a_diff(old, tmp_path, capsys):
    new = _snapshot(tmp_path / "new", body=b"<p>1 organisation</p>\n")
    assert check_identity.compare(old, new) == 1
    out = capsys.readouterr().out
    assert URL in out and "-<p>1 organization</p>" in out and "+<p>1 organisation</p>" in out


def test_a_changed_header_fails(old, tmp_path, capsys):
    assert check_identity.compare(old, _snapshot(tmp_path / "new", header="2")) == 1
    assert "header X-Total-Count: '1'" in capsys.readouterr().out


def test_a_higher_query_count_fails(old, tmp_path, capsys):
    assert check_identity.compare(old, _snapshot(tmp_path / "new", queries=(9, 5))) == 1
    assert "queries on a cache hit rose: 4 -> 5" in capsys.readouterr().out


def test_a_lower_query_count_is_reported_and_passes(old, tmp_path, capsys):
    assert check_identity.compare(old, _snapshot(tmp_path / "new", queries=(8, 4))) == 0
    assert "queries on a cache miss fell: 9 -> 8" in capsys.readouterr().out


def test_a_missing_url_fails(old, tmp_path, capsys):
    new = _snapshot(tmp_path / "new")
    index = json.loads((new / "index.json").read_text())
    del index["/robots.txt"]
    (new / "index.json").write_text(json.dumps(index))
    assert check_identity.compare(old, new) == 1
    assert "URL only in old snapshot: /robots.txt" in capsys.readouterr().out
