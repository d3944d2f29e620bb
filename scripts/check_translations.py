"""Fail when the code has a translatable string that locale/*/django.po lacks.

Runs `manage.py makemessages` (GNU gettext) on a temporary copy of the project so the
committed catalogues are never touched, then compares the msgids. Used by .ci/run.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ru", "en")
SKIP = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "staticfiles",
    "var",
    "node_modules",
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".ruff_cache",
    "*.sqlite3",
    "*.mo",
)


def keys(po_path: Path) -> set[tuple[str, str]]:
    if not po_path.exists():
        return set()
    return {
        (entry.msgctxt or "", entry.msgid)
        for entry in polib.pofile(str(po_path))
        if not entry.obsolete
    }


def main() -> int:
    if not shutil.which("xgettext"):
        print(
            "check_translations: GNU gettext (xgettext) is not installed; "
            "install it with `apt-get install gettext`.",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="rightsnet-messages-") as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(ROOT, copy, ignore=SKIP)
        command = [
            sys.executable,
            "manage.py",
            "makemessages",
            "--no-obsolete",
            "--ignore",
            ".venv/*",
        ]
        for language in LANGUAGES:
            command += ["--locale", language]
        subprocess.run(command, cwd=copy, check=True, stdout=subprocess.DEVNULL)
        failed = False
        for language in LANGUAGES:
            relative = Path("locale") / language / "LC_MESSAGES" / "django.po"
            in_code = keys(copy / relative)
            committed = keys(ROOT / relative)
            missing = sorted(in_code - committed)
            stale = sorted(committed - in_code)
            if missing:
                failed = True
                print(f"{relative}: {len(missing)} string(s) in the code are missing:")
                for context, msgid in missing:
                    print(f"  {msgid!r}" + (f" (context {context!r})" if context else ""))
            if stale:
                print(
                    f"{relative}: note: {len(stale)} string(s) no longer used by the code "
                    "(`make messages` removes them):"
                )
                for _context, msgid in stale:
                    print(f"  {msgid!r}")
            if not missing:
                print(f"{relative}: every string in the code is in the catalogue ({len(in_code)}).")
    if failed:
        print(
            "\nAdd them: `make messages`, then fill in the Russian msgstr "
            "(see README.md, Translations).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
