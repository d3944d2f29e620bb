"""Compile every locale/*/LC_MESSAGES/*.po into .mo with polib.

Django's own compilemessages needs GNU gettext's msgfmt; polib is pure Python, so
`make run` works on a fresh machine that has only Python.
"""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# polib silently accepts some broken input (an unterminated string becomes an
# empty translation), so each line is checked against the PO grammar first.
KEYWORD_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+"(?:[^"\\]|\\.)*"\s*$')
CONTINUATION_LINE = re.compile(r'^"(?:[^"\\]|\\.)*"\s*$')
NAMED_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL_PLACEHOLDER = re.compile(r"%[#0 +\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def syntax_errors(po_path: Path) -> list[str]:
    """Lines of ``po_path`` that are not comments, keywords or quoted continuations."""
    errors = []
    text = po_path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not (KEYWORD_LINE.match(stripped) or CONTINUATION_LINE.match(stripped)):
            errors.append(f"line {number}: not valid PO syntax: {stripped[:80]}")
    return errors


def placeholder_errors(po: polib.POFile) -> list[str]:
    """Translations whose %-placeholders would raise KeyError/TypeError when rendered."""
    errors = []
    for entry in po:
        if entry.obsolete or "python-format" not in entry.flags:
            continue
        source = entry.msgid + entry.msgid_plural
        named = set(NAMED_PLACEHOLDER.findall(source))
        positional = len(POSITIONAL_PLACEHOLDER.findall(NAMED_PLACEHOLDER.sub("", entry.msgid)))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in filter(None, translations):
            unknown = set(NAMED_PLACEHOLDER.findall(translation)) - named
            if unknown:
                errors.append(
                    f"msgid {entry.msgid!r}: translation uses unknown placeholder(s) "
                    f"{', '.join(sorted(unknown))}"
                )
            bare = len(POSITIONAL_PLACEHOLDER.findall(NAMED_PLACEHOLDER.sub("", translation)))
            if bare != positional:
                errors.append(
                    f"msgid {entry.msgid!r}: translation has {bare} positional placeholder(s), "
                    f"the source {positional}"
                )
    return errors


def load_po(po_path: Path) -> polib.POFile:
    """Parse ``po_path`` strictly; raise CommandError naming every problem found."""
    try:
        problems = syntax_errors(po_path)
        po = None if problems else polib.pofile(str(po_path), check_for_duplicates=True)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"{po_path}: cannot be read as a .po file: {exc}") from exc
    if po is not None:
        problems = placeholder_errors(po)
    if problems:
        raise CommandError(f"{po_path} is broken:\n  " + "\n  ".join(problems))
    return po


def compile_po(po_path: Path) -> tuple[int, int]:
    """Write the .mo beside ``po_path``; return (translated, skipped fuzzy) counts."""
    po = load_po(po_path)
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
