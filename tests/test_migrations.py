"""Migrations are a frozen record: none imports a module of this project.

A migration that called, say, ``directory/search_index.py`` would change meaning
whenever that module changed, and a fresh database would no longer be built the way
existing ones were. Migrations use Django (and the third-party fields they name) only.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = sorted(
    path
    for app in ("directory", "publications")
    for path in (ROOT / app / "migrations").glob("*.py")
    if path.name != "__init__.py"
)
# Every top-level package or module of the repository (apps, project package, scripts).
PROJECT = {path.parent.name for path in ROOT.glob("*/__init__.py")} | {
    path.stem for path in ROOT.glob("*.py")
}


def _called(call: ast.Call) -> str:
    return getattr(call.func, "attr", None) or getattr(call.func, "id", "")


def project_imports(source: str) -> list[str]:
    """The project modules a piece of code imports, anywhere in it (functions too)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = ["." * node.level + (node.module or "")]
        elif isinstance(node, ast.Call) and _called(node) in {"import_module", "__import__"}:
            names = [arg.value for arg in node.args[:1] if isinstance(arg, ast.Constant)]
        else:
            continue
        found += [name for name in names if name.startswith(".") or name.split(".")[0] in PROJECT]
    return found


def test_the_scan_sees_migrations_and_project_imports():
    assert {"directory", "publications", "rightsnet"} <= PROJECT
    assert len(MIGRATIONS) >= 15
    code = (
        "import django.db.models.deletion\nimport simple_history.models\n"
        "def forwards(apps, schema_editor):\n"
        "    from directory import search_index\n"
        "    import rightsnet.i18n\n"
        "    from . import helpers\n"
        "    importlib.import_module('publications.models')\n"
    )
    assert project_imports(code) == [
        "directory",
        "rightsnet.i18n",
        ".",
        "publications.models",
    ]


@pytest.mark.parametrize(
    "path", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.name}"
)
def test_migration_imports_no_project_module(path):
    assert project_imports(path.read_text(encoding="utf-8")) == []
