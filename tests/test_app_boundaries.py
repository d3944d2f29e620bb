"""The apps' import direction: listing <- directory <- publications <- sitedata, opendata.

``publications`` is built on ``directory`` (its books have organizations as publishers
and people as editors), so ``directory`` must not import ``publications`` (an import
cycle between the apps). ``sitedata`` (sample data, demo generator, whole-site
benchmarks) sits on top of both, and no app imports it; nor ``opendata`` (the data for
researchers: data page, data package, snapshot), which is built on both apps too. The
framework (``listing``) imports no app. Management commands and every other module
count, migrations aside.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "listing": {"directory", "publications", "sitedata", "opendata"},
    "directory": {"publications", "sitedata", "opendata"},
    "publications": {"sitedata", "opendata"},
    "opendata": {"sitedata"},
}


def imported(path: Path) -> set[str]:
    """The top-level packages ``path`` imports, wherever the import statement is."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", FORBIDDEN)
def test_no_import_against_the_direction(package):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: names for path, names in wrong.items() if names} == {}
