"""Benchmark the organizations export (issue 4) on a throwaway database.

    manage.py bench_export                 # 20,000 organizations, CSV, JSON and XLSX
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rightsnet manage.py bench_export

The configured database is never written to. The command creates its own database
next to it (SQLite: ``var/bench_export.sqlite3``; PostgreSQL: ``<name>_bench_export``
on the same server), migrates it and fills it with ``generate_directory`` in a child
process, then measures each format in a fresh child process of its own so that the
memory figures are the export's and not the generator's, with the garbage collector
set up as in a server process (``rightsnet.runtime``):

- seconds from the request to the last byte (median of ``--runs``), rows per second,
  time to the first byte; also the process's CPU seconds (``time.process_time``) and
  rows per CPU second, which say more than wall time on a machine shared with others;
- ``tracemalloc`` peak: the most Python memory held at once during one export;
- ``maxrss``: the process's peak resident memory (``getrusage``) after the exports,
  and its growth over the peak before the first export (Django loaded, no export).

The spreadsheet (``xlsx``) is made whole before its first byte leaves (a temporary
file), so its first byte comes at about its total time; its memory figures show that
XlsxWriter's constant-memory mode keeps it flat.

Each run also checks that the file has as many rows as the list says. The throwaway
database is dropped at the end unless ``--keepdb``, which also reuses one kept earlier.
"""

import csv
import io
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings

from rightsnet.runtime import tune_garbage_collector

SUFFIX = "bench_export"
FORMATS = ("csv", "json", "xlsx")
BENCH_PARAMS = {
    "all": "",
    "filtered": "?region=russia&kind=group&kind=ngo&sort=-updated",
    "search": "?q=prava",
}


def maxrss_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Measure the organizations CSV/JSON/XLSX export on a generated throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=20_000, help="Organizations (20,000).")
        parser.add_argument("--runs", type=int, default=3, help="Timed runs per format (3).")
        parser.add_argument("--lang", default="ru", choices=[c for c, _ in settings.LANGUAGES])
        parser.add_argument(
            "--keepdb",
            action="store_true",
            help="Keep the benchmark database, and reuse one kept earlier (no generation).",
        )
        parser.add_argument("--measure", choices=FORMATS, help="(internal: child run)")

    def handle(self, *args, **options):
        if options["measure"]:
            self._measure(options)
            return
        if options["orgs"] < 1 or options["runs"] < 1:
            raise CommandError("--orgs and --runs must be positive.")
        url, cleanup, reused = self._throwaway_database(keep=options["keepdb"])
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_CONN_MAX_AGE": "0"}
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        try:
            if reused:
                self.stdout.write(f"Reusing {url}")
            else:
                self.stdout.write(f"Throwaway database: {url}")
                self._run([*manage, "migrate", "--no-input", "-v", "0"], env)
                started = time.perf_counter()
                self._run(
                    [
                        *manage, "generate_directory", "--orgs", str(options["orgs"]),
                        "--people", "0", "--publications", "0", "--no-progress",
                    ],
                    env,
                )  # fmt: skip
                self.stdout.write(f"Generated in {time.perf_counter() - started:.1f} s.")
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            self.stdout.write(
                f"Database: {connection.vendor}; Python {sys.version.split()[0]}; "
                f"{os.cpu_count()} CPUs; load average {load}"
            )
            for fmt in FORMATS:
                out = subprocess.run(
                    [
                        *manage, "bench_export", "--measure", fmt,
                        "--runs", str(options["runs"]), "--lang", options["lang"],
                    ],
                    env=env, capture_output=True, text=True, check=False,
                )  # fmt: skip
                if out.returncode:
                    raise CommandError(f"The {fmt} measurement failed:\n{out.stderr}")
                self.stdout.write(out.stdout.rstrip())
        finally:
            if options["keepdb"]:
                self.stdout.write(f"Kept {url} (measured again with --keepdb).")
            else:
                cleanup()

    def _run(self, command, env):
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if out.returncode:
            raise CommandError(f"{' '.join(command[1:3])} failed:\n{out.stderr}")

    def _throwaway_database(self, *, keep: bool):
        """(DATABASE_URL of the benchmark's own database, function that drops it, reused?)."""
        db = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            path = Path(settings.BASE_DIR) / "var" / f"{SUFFIX}.sqlite3"
            if Path(str(db["NAME"])).resolve() == path.resolve():
                raise CommandError("Run this with the usual DATABASE_URL, not the benchmark's.")
            path.parent.mkdir(parents=True, exist_ok=True)
            reused = keep and path.exists()
            if not reused:
                path.unlink(missing_ok=True)
            return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True), reused
        if connection.vendor != "postgresql":
            raise CommandError(f"Unsupported database: {connection.vendor}.")
        name = f"{db['NAME']}_{SUFFIX}"
        if str(db["NAME"]).endswith(SUFFIX):
            raise CommandError("Run this with the usual DATABASE_URL, not the benchmark's.")
        quoted = connection.ops.quote_name(name)

        def drop():
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")

        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            reused = keep and cursor.fetchone() is not None
        if not reused:
            drop()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {quoted}")
        user = db.get("USER") or ""
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        auth = f"{user}{password}@" if user else ""
        port = f":{db['PORT']}" if db.get("PORT") else ""
        url = f"postgres://{auth}{db.get('HOST') or 'localhost'}{port}/{name}"
        return url, drop, reused

    def _measure(self, options):
        """Child process: time and measure one format on the configured (throwaway) database."""
        if not str(settings.DATABASES["default"]["NAME"]).removesuffix(".sqlite3").endswith(SUFFIX):
            raise CommandError("--measure runs only on the benchmark's own database.")
        fmt, lang, runs = options["measure"], options["lang"], options["runs"]
        # A steady state, as autovacuum leaves it (as bench_search does).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        client = Client()
        tune_garbage_collector()  # as rightsnet/wsgi.py does in every server process
        rss_before = maxrss_mb()
        lines = []
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            for label, query in BENCH_PARAMS.items():
                url = f"/{lang}/organizations/export.{fmt}{query}"
                timings, cpu_timings, first_bytes = [], [], []
                for _ in range(runs):
                    cpu = time.process_time()
                    seconds, first, size, rows = self._download(client, url)
                    cpu_timings.append(time.process_time() - cpu)
                    timings.append(seconds)
                    first_bytes.append(first)
                median, cpu = statistics.median(timings), statistics.median(cpu_timings)
                lines.append(
                    f"  {fmt} {label:<8} {rows:>6} rows  {median:6.3f} s (median of {runs}, "
                    f"best {min(timings):.3f})  {rows / median:>7,.0f} rows/s  "
                    f"CPU {cpu:.3f} s = {rows / cpu:>7,.0f} rows/CPU-s  "
                    f"first byte {statistics.median(first_bytes) * 1000:4.0f} ms  "
                    f"{size / 1e6:4.1f} MB"
                )
            rss_after = maxrss_mb()
            url = f"/{lang}/organizations/export.{fmt}"
            tracemalloc.start()
            self._download(client, url)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            complete = self._check_complete(client, url, fmt)
        self.stdout.write("\n".join(lines))
        self.stdout.write(
            f"  {fmt} memory: tracemalloc peak {peak:.1f} MB during one full export; "
            f"maxrss {rss_after:.1f} MB after the exports "
            f"(+{rss_after - rss_before:.1f} MB over {rss_before:.1f} MB before)"
        )
        self.stdout.write(f"  {fmt} check: {complete}")

    def _download(self, client, url):
        started = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        first, size = None, 0
        for chunk in response.streaming_content:
            if first is None:
                first = time.perf_counter() - started
            size += len(chunk)
        seconds = time.perf_counter() - started
        return seconds, first or seconds, size, int(response["X-Total-Count"])

    def _check_complete(self, client, url, fmt) -> str:
        response = client.get(url)
        data = b"".join(response.streaming_content)  # read whole: the client closes it
        expected = int(response["X-Total-Count"])
        if fmt == "xlsx":
            # The data sheet's rows, less the header (no spreadsheet library needed).
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                sheet = archive.read("xl/worksheets/sheet1.xml")
            found = len(re.findall(rb"<row ", sheet)) - 1
        elif fmt == "json":
            found = len(json.loads(data))
        else:
            body = data.decode("utf-8-sig")
            found = sum(1 for _row in csv.reader(io.StringIO(body, newline=""))) - 1
        if found != expected:
            raise CommandError(f"{url}: {found} rows in the file, {expected} in the list.")
        return f"{found} rows in the file = {expected} in the list"
