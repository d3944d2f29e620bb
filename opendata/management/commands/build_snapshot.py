"""Write today's snapshot of the whole public directory (``opendata.snapshot``).

    manage.py build_snapshot [--site-url https://rightsnet.example.org] [--keep 7]

Safe from cron (see ``opendata.snapshot``): one run at a time, the zip renamed into
place only when whole. Exit codes: 0 done; 1 failed (the message says why; the
previous snapshots are untouched); 75 (EX_TEMPFAIL) another run holds the lock.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from opendata import snapshot

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Write today's snapshot of every public list into SNAPSHOT_DIR (a dated zip)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=settings.RIGHTSNET_SITE_URL,
            help="The site's address, for the page addresses in the files "
            "(default: the RIGHTSNET_SITE_URL setting).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=7,
            help="How many snapshots to keep, the newest (0: all). Default 7.",
        )
        parser.add_argument(
            "--folder", default=None, help="Where to write (default: the SNAPSHOT_DIR setting)."
        )

    def handle(self, *args, site_url, keep, folder, **options):
        if not site_url.startswith(("http://", "https://")):
            raise CommandError(
                "Give the site's address: set RIGHTSNET_SITE_URL or pass "
                "--site-url https://rightsnet.example.org"
            )
        if keep < 0:
            raise CommandError("--keep must be 0 (keep all) or more.")
        target = Path(folder) if folder else Path(settings.SNAPSHOT_DIR)
        try:
            path, counts = snapshot.build(target, base_url=site_url, keep=keep)
        except snapshot.SnapshotBusy as error:
            raise CommandError(str(error), returncode=EX_TEMPFAIL) from None
        except (OSError, DatabaseError) as error:
            raise CommandError(f"The snapshot could not be written: {error}") from error
        rows = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(f"{path} ({path.stat().st_size} bytes): {rows}")
