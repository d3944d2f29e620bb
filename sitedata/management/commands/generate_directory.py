"""Generate a fictional directory for demos and benchmarks (``sitedata.generator``).

Every generated row is flagged ``is_demo``; ``--clear`` removes the earlier demo rows first.
"""

from django.core.management.base import BaseCommand, CommandError

from sitedata.generator import clear_synthetic, generate_directory


def non_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate N demo organizations (with people, publications and practices), "
        "deterministically."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--orgs", type=non_negative, default=300, help="Organizations (default 300)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--people", type=non_negative, default=None, help="People (default orgs / 10)."
        )
        parser.add_argument(
            "--publications",
            type=non_negative,
            default=None,
            help="Publications (default orgs / 20).",
        )
        parser.add_argument(
            "--practices",
            type=non_negative,
            default=None,
            help="Practices (practical experience; default orgs / 5).",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete earlier demo rows first (every row flagged is_demo).",
        )
        parser.add_argument(
            "--clear-only", action="store_true", help="Delete demo rows and generate nothing."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **options):
        if options["clear_only"]:
            removed = clear_synthetic()
            self.stdout.write(
                self.style.SUCCESS(
                    "Deleted {organizations} demo organizations, {people} people, "
                    "{publications} publications, {practices} practices.".format(**removed)
                )
            )
            return
        try:
            result = generate_directory(
                orgs=options["orgs"],
                seed=options["seed"],
                people=options["people"],
                publications=options["publications"],
                practices=options["practices"],
                clear=options["clear"],
                progress=not options["no_progress"] and options["verbosity"] > 0,
            )
        except ValueError as error:
            raise CommandError(f"Nothing was generated: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.organizations} organizations ({result.branches} branches, "
                f"{result.phones} phones, {result.partnerships} partnerships, "
                f"{result.events} events), "
                f"{result.people} people ({result.affiliations} affiliations), "
                f"{result.publications} publications, {result.practices} practices "
                f"in {result.seconds:.1f} s."
            )
        )
