"""The apps' import direction: publications may use directory, never the reverse.

``publications`` is built on ``directory`` (its books have organizations as publishers
and people as editors), so ``directory`` must not import ``publications`` (an import
cycle between the apps), and the framework (``listing``) imports neither app.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"directory": {"publications"}, "listing": {"directory", "publications"}}
# Site-wide tools in directory that make or rebuild every app's data; the lead moves
# them out of the app (issue 11), then this list is empty.
NOT_YET = {
    "directory/services.py",
    "directory/generator.py",
    "directory/management/commands/bench_search.py",
    "directory/management/commands/bench_sitemap.py",
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
        if "migrations" not in path.parts and str(path.relative_to(ROOT)) not in NOT_YET
    }
    assert {path: names for path, names in wrong.items() if names} == {}
