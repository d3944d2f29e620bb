"""Compile every locale/*/LC_MESSAGES/*.po into .mo with polib.

Django's own compilemessages needs GNU gettext's msgfmt; polib is pure Python, so
`make run` works on a fresh machine that has only Python.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def compile_po(po_path: Path) -> tuple[int, int]:
    """Write the .mo beside ``po_path``; return (translated, skipped fuzzy) counts."""
    try:
        po = polib.pofile(str(po_path), check_for_duplicates=True)
    except (OSError, ValueError) as exc:
        raise CommandError(f"{po_path}: cannot be read as a .po file: {exc}") from exc
    fuzzy = [entry for entry in po if entry.fuzzy and not entry.obsolete]
    for entry in fuzzy:
        # A fuzzy translation is a guess by msgmerge: never show it to users.
        po.remove(entry)
    mo_path = po_path.with_suffix(".mo")
    tmp_path = mo_path.with_name(mo_path.name + ".tmp")
    try:
        po.save_as_mofile(str(tmp_path))
        tmp_path.replace(mo_path)
    except OSError as exc:
        raise CommandError(f"{mo_path}: cannot be written: {exc}") from exc
    translated = sum(1 for entry in po if entry.translated() and not entry.obsolete)
    return translated, len(fuzzy)


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (pure Python, no gettext needed)."

    def handle(self, *args, **options):
        po_files = sorted(
            po_path
            for locale_dir in settings.LOCALE_PATHS
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po")
        )
        if not po_files:
            self.stdout.write("No .po files to compile.")
            return
        for po_path in po_files:
            translated, fuzzy = compile_po(po_path)
            note = f", {fuzzy} fuzzy skipped" if fuzzy else ""
            shown = (
                po_path.relative_to(settings.BASE_DIR)
                if po_path.is_relative_to(settings.BASE_DIR)
                else po_path
            )
            self.stdout.write(f"Compiled {shown} ({translated} translated{note})")
