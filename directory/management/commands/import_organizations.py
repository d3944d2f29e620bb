"""Import organizations from a CSV with the export's columns: every row or none."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from directory import importing, services


class Command(BaseCommand):
    help = (
        "Create or update organizations from a CSV file with the columns of the public "
        "export (Russian or English headers). All rows are written, or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--user", help="username recorded in the history as the author of the changes"
        )

    def handle(self, *args, file: Path, dry_run: bool, user: str | None, **options):
        author = None
        if user:
            try:
                author = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user called {user!r}.") from None
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        limit = settings.IMPORT_COMMAND_MAX_BYTES
        if file.stat().st_size > limit:
            raise CommandError(importing.file_too_large_message(file.stat().st_size, limit))

        table = importing.read_csv(file.read_bytes(), max_bytes=limit)
        with tqdm(
            total=len(table.records),
            unit="row",
            disable=options["verbosity"] == 0,
            file=self.stderr._out,
        ) as bar:
            report = services.organization_import(
                table=table,
                user=author,
                dry_run=dry_run,
                reason=f"import_organizations {file.name}",
                progress=bar.update,
            )
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        for problem in report.problems:
            self.stderr.write(f"problem: {problem}")
        summary = f"{report.created} new, {report.updated} changed, {report.unchanged} unchanged"
        if not report.ok:
            raise CommandError(f"Nothing imported: {len(report.problems)} problem(s) in {file}.")
        if dry_run:
            self.stdout.write(f"Dry run, nothing written: {summary}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {file}: {summary}."))
