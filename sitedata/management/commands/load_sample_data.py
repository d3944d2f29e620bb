"""Load the real sample data of the seeds from fixtures/, idempotently.

Unlike ``loaddata``, rows already in the database are left as they are, so running
it on every ``make run`` neither duplicates nor overwrites anything (admin edits to
the sample rows survive); then the fields that raw saves skip are recomputed.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sitedata.services import load_sample_data, sample_data_paths


class Command(BaseCommand):
    help = "Insert the sample data of fixtures/ that is not in the database yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help="Fixture files to load, in order (default: every sample-data file).",
        )

    def handle(self, *args, paths, verbosity, **options):
        paths = paths or sample_data_paths()
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"Fixture file not found: {', '.join(missing)}")
        try:
            result = load_sample_data(paths=paths)
        except (ValidationError, ValueError) as error:
            raise CommandError(f"Sample data not loaded, nothing was changed: {error}") from error
        for conflict in result.conflicts:
            self.stderr.write(self.style.WARNING(f"Skipped: {conflict}"))
        if verbosity >= 2:
            for label, count in sorted(result.created.items()):
                self.stdout.write(f"  {label}: {count} inserted")
        derived = result.derived
        self.stdout.write(
            self.style.SUCCESS(
                f"Sample data: {result.created_total} rows inserted, "
                f"{result.existing_total} already present; derived fields refreshed on "
                f"{derived.total} rows."
            )
        )
