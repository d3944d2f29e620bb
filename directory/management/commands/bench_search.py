"""Benchmark the organizations list page (faceted search) at 20,000 organizations.

Runs in a throwaway database, never the one in use: created like Django's test
database for the configured backend, as ``<name>_bench_search`` on PostgreSQL or
``var/bench_search.sqlite3`` on SQLite, filled by
``directory.generator.generate_directory``, vacuumed and analysed, then dropped
unless ``--keepdb`` (which also reuses an earlier one, skipping the generation).
Each scenario is requested through Django's test client, with the garbage collector
set up as in a server process (``rightsnet.runtime``): a few warm-up requests,
then ``--requests`` timed ones; it prints the median and 90th percentile server
time (wall clock, and this process's CPU time, which excludes waiting for a busy
CPU and, on PostgreSQL, the database server's own work), the number of SQL queries
and the bytes of HTML.
"""

import os
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from directory import generator
from directory.models import Organization
from directory.selectors import organization_search
from rightsnet.runtime import tune_garbage_collector

BENCH_QUERY = [
    ("q", "солдатских матерей"),
    ("region", "russia"),
    ("activity", "legal-defense"),
    ("activity", "monitoring"),
]
SCENARIOS = [
    ("q + region + two activities", BENCH_QUERY),
    ("no filter", []),
    ("region + two activities", BENCH_QUERY[1:]),
    ("q only (one common word)", [("q", "Хельсинкская")]),
    ("Latin q (transliteration)", [("q", "Nadezhda")]),
    # Matches every organization: past the in-memory limit of directory/filters.py.
    ("q matching every organization", [("q", "пра")]),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Time the organizations list with q, a region and two activities at 20,000 orgs."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=20_000)
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--keepdb", action="store_true", help="Keep the benchmark database (and reuse it)."
        )
        parser.add_argument("--language", default="ru", choices=["ru", "en"])

    def handle(self, *args, **options):
        # Its own database, never the test runner's test_<name> (pytest would drop it).
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            path = Path(settings.BASE_DIR) / "var" / "bench_search.sqlite3"
            path.parent.mkdir(parents=True, exist_ok=True)
            test_settings["NAME"] = str(path)
        else:
            test_settings["NAME"] = f"{connection.settings_dict['NAME']}_bench_search"
        old_name = connection.settings_dict["NAME"]
        keepdb = options["keepdb"]
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, keepdb=keepdb, serialize=False
        )
        try:
            self._prepare(options)
            self._run(options)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=keepdb)

    def _prepare(self, options):
        existing = generator.synthetic_organizations().count()
        if existing < options["orgs"]:
            self.stdout.write(f"Generating {options['orgs']} organizations ...")
            result = generator.generate_directory(
                orgs=options["orgs"], seed=options["seed"], clear=True
            )
            self.stdout.write(f"  done in {result.seconds:.1f} s")
        # A steady state, as autovacuum leaves it: statistics, and on PostgreSQL the GIN
        # index's pending list (filled by the bulk insert) merged.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    def _run(self, options):
        client = Client()
        tune_garbage_collector()  # as rightsnet/wsgi.py does in every server process
        language = options["language"]
        total = Organization.objects.count()
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        self.stdout.write(
            f"\n{connection.vendor} {connection.settings_dict['NAME']}: {total} organizations; "
            f"{options['requests']} timed requests per scenario; load average {load:.2f}\n"
        )
        header = (
            f"{'scenario':32} {'results':>7} {'median':>8} {'p90':>8} {'cpu med':>8} "
            f"{'queries':>7} {'html':>8}"
        )
        self.stdout.write(header)
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            for label, query in SCENARIOS:
                url = f"/{language}/organizations/" + ("?" + urlencode(query) if query else "")
                self._scenario(client, label, url, options)

    def _scenario(self, client, label, url, options):
        for _ in range(options["warmup"]):
            client.get(url)
        walls, cpus = [], []
        for _ in range(options["requests"]):
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - wall)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            self.stderr.write(f"{url}: HTTP {response.status_code}")
            return
        params = QueryDict(urlsplit(url).query)
        results = organization_search(params=params, language=options["language"]).total
        self.stdout.write(
            f"{label:32} {results:>7} {statistics.median(walls) * 1000:>6.1f}ms "
            f"{percentile(walls, 0.9) * 1000:>6.1f}ms {statistics.median(cpus) * 1000:>6.1f}ms "
            f"{len(queries.captured_queries):>7} {len(response.content):>8}"
        )
