"""Benchmark every public page type at 20,000 organizations.

Runs in a throwaway database, never the one in use: created like Django's test
database for the configured backend, as ``<name>_bench_search`` on PostgreSQL or
``var/bench_search.sqlite3`` on SQLite, filled by
``sitedata.generator.generate_directory``, vacuumed and analysed, then dropped
unless ``--keepdb`` (which also reuses an earlier one, skipping the generation).

Each page (home, the organizations list with each filter alone and combined, every
sort, a deep page, the detail and landing pages, people, publications, the practical
experience list plain, filtered and searched and its CSV export, about) is
requested through Django's test client, with the garbage collector set up as in a
server process (``rightsnet.runtime``), twice over:

- **hit**: a few warm-up requests, then ``--requests`` timed ones with the cache
  as they left it (what a visitor sees between two writes);
- **miss**: the cache cleared before each timed request (not timed), so every
  cached block is built again (the first visitor after a write).

It prints, for each, the median and 90th percentile server time (wall clock), the
number of SQL queries and the bytes of HTML, and whether both paths gave the same
page (``same``: a cached block must render the same bytes as a fresh one).

``--gzip`` sends ``Accept-Encoding: gzip`` with every request, as browsers do, so the
times include the compression (``rightsnet.compression``); it adds the bytes sent and
``gz ms``, the median time of compressing that page alone (gzip level 6).
"""

import gzip
import os
import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.text import compress_string

from directory.models import Organization, Person
from publications.models import Publication
from rightsnet.headers import without_nonce
from rightsnet.runtime import tune_garbage_collector
from sitedata import generator
from sitedata.management.benchdb import benchmark_database

# Query strings of the organizations list: each filter alone, then combined.
LIST_SCENARIOS = [
    ("list: no filter", []),
    ("list: q (common word)", [("q", "права")]),
    ("list: q (rare words)", [("q", "солдатских матерей")]),
    ("list: q (Latin)", [("q", "Nadezhda")]),
    ("list: q (a name)", [("q", "Moscow Helsinki Group")]),
    ("list: region", [("region", "russia")]),
    ("list: region (city)", [("region", "tomsk")]),
    ("list: activity", [("activity", "monitoring")]),
    ("list: kind", [("kind", "ngo")]),
    ("list: status", [("status", "inactive")]),
    ("list: status + kind", [("status", "active"), ("kind", "group")]),
    ("list: region + activity", [("region", "russia"), ("activity", "legal-defense")]),
    (
        "list: region + two activities",
        [("region", "russia"), ("activity", "legal-defense"), ("activity", "monitoring")],
    ),
    (
        "list: q + region + 2 activities",
        [
            ("q", "солдатских матерей"),
            ("region", "russia"),
            ("activity", "legal-defense"),
            ("activity", "monitoring"),
        ],
    ),
    (
        "list: all five filters",
        [
            ("q", "права"),
            ("region", "russia"),
            ("activity", "legal-defense"),
            ("kind", "group"),
            ("status", "active"),
        ],
    ),
    ("list: sort=name", [("sort", "name")]),
    ("list: sort=-updated", [("sort", "-updated")]),
    ("list: sort=founded", [("sort", "founded")]),
    ("list: q + sort=relevance", [("q", "права"), ("sort", "relevance")]),
    ("list: q + sort=name", [("q", "права"), ("sort", "name")]),
    ("list: q + sort=-updated", [("q", "права"), ("sort", "-updated")]),
    ("list: q + sort=founded", [("q", "права"), ("sort", "founded")]),
    ("list: deep page (300)", [("page", "300")]),
    ("list: kind + deep page", [("kind", "group"), ("page", "200")]),
]


def practice_scenarios(root: str) -> list[tuple[str, str]]:
    """The practical experience list: plain, each filter, a search, and its export."""
    return [
        ("practices list", f"{root}/practices/"),
        ("practices: region", f"{root}/practices/?region=russia"),
        ("practices: region + activity", f"{root}/practices/?region=russia&activity=monitoring"),
        ("practices: year", f"{root}/practices/?year=2005"),
        ("practices: q", f"{root}/practices/?q=" + "права"),
        ("practices: sort=-start", f"{root}/practices/?sort=-start"),
        ("practices export (csv)", f"{root}/practices/export.csv"),
        ("practices export: region", f"{root}/practices/export.csv?region=russia"),
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Time every public page type at 20,000 organizations (cache hit and miss)."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=20_000)
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--keepdb", action="store_true", help="Keep the benchmark database (and reuse it)."
        )
        parser.add_argument("--language", default="ru", choices=["ru", "en"])
        parser.add_argument(
            "--only", default="", help="Only the pages whose label contains this text."
        )
        parser.add_argument(
            "--gzip", action="store_true", help="Ask for gzip; print its bytes and CPU time."
        )

    def handle(self, *args, **options):
        with benchmark_database("bench_search", keepdb=options["keepdb"]):
            self._prepare(options)
            self._run(options)

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

    def pages(self, language: str) -> list[tuple[str, str]]:
        """``(label, url)`` of every page type, with the richest entries as samples."""
        root = f"/{language}"
        published = Organization.objects.published()
        # The organization with the most relations: partners, branches, people.
        organization = (
            published.annotate(
                n=Count("partners", distinct=True)
                + Count("branches", distinct=True)
                + Count("affiliations", distinct=True)
            )
            .order_by("-n", "pk")
            .first()
        )
        person = (
            Person.objects.published()
            .annotate(n=Count("affiliations"))
            .order_by("-n", "pk")
            .first()
        )
        publication = (
            Publication.objects.published()
            .annotate(n=Count("editors"))
            .order_by("-n", "pk")
            .first()
        )
        pages = [("home", f"{root}/")]
        for label, query in LIST_SCENARIOS:
            search = "?" + urlencode(query) if query else ""
            pages.append((label, f"{root}/organizations/{search}"))
        pages += [
            ("organization (most relations)", organization.get_absolute_url()),
            ("region list", f"{root}/regions/"),
            ("region page (country)", f"{root}/regions/russia/"),
            ("region page (city)", f"{root}/regions/moscow/"),
            ("type of work list", f"{root}/activities/"),
            ("type of work page", f"{root}/activities/legal-defense/"),
            ("people list", f"{root}/people/"),
            ("people: q", f"{root}/people/?q=" + "права"),
            ("person (most affiliations)", person.get_absolute_url()),
            ("publications list", f"{root}/publications/"),
            ("publication (most editors)", publication.get_absolute_url()),
            *practice_scenarios(root),
            ("about", f"{root}/about/"),
        ]
        return [(label, url) for label, url in pages if options_only(self.only, label)]

    def _run(self, options):
        client = Client()
        tune_garbage_collector()  # as rightsnet/wsgi.py does in every server process
        language = options["language"]
        self.only = options["only"]
        self.headers = {"Accept-Encoding": "gzip"} if options["gzip"] else {}
        total = Organization.objects.count()
        load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
        self.stdout.write(
            f"\n{connection.vendor} {connection.settings_dict['NAME']}: {total} organizations; "
            f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
            f"{options['requests']} timed requests per page and path; "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
        )
        header = (
            f"{'page':34} {'hit med':>8} {'hit p90':>8} {'miss med':>8} {'miss p90':>8} "
            f"{'q hit':>5} {'q miss':>6} {'bytes':>7} {'same':>4}"
        ) + (f" {'gzip':>6} {'gz ms':>6}" if self.headers else "")
        self.stdout.write(header)
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            for label, url in self.pages(language):
                self._page(client, label, url, options)

    def _timed(self, client, url, options, *, clear: bool) -> list[float]:
        walls = []
        for _ in range(options["requests"]):
            if clear:
                cache.clear()
            wall = time.perf_counter()
            body(client.get(url, headers=self.headers))
            walls.append(time.perf_counter() - wall)
        return walls

    def _captured(self, client, url, *, clear: bool):
        if clear:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=self.headers)
            response.body = body(response)  # an export's queries run as it streams
        response.sent = len(response.body)
        if response.get("Content-Encoding") == "gzip":
            response.body = gzip.decompress(response.body)
        return response, len(queries.captured_queries)

    def _page(self, client, label, url, options):
        for _ in range(options["warmup"]):
            body(client.get(url, headers=self.headers))
        hits = self._timed(client, url, options, clear=False)
        hit_response, hit_queries = self._captured(client, url, clear=False)
        misses = self._timed(client, url, options, clear=True)
        miss_response, miss_queries = self._captured(client, url, clear=True)
        if hit_response.status_code != 200 or miss_response.status_code != 200:
            self.stderr.write(
                f"{label} {url}: HTTP {hit_response.status_code}/{miss_response.status_code}"
            )
            return
        same = without_nonce(hit_response.body) == without_nonce(miss_response.body)
        same = "yes" if same else "NO"
        self.stdout.write(
            f"{label:34} {ms(statistics.median(hits))} {ms(percentile(hits, 0.9))} "
            f"{ms(statistics.median(misses))} {ms(percentile(misses, 0.9))} "
            f"{hit_queries:>5} {miss_queries:>6} {len(hit_response.body):>7} {same:>4}"
            + (f" {hit_response.sent:>6} {gzip_ms(hit_response.body)}" if self.headers else "")
        )


def body(response) -> bytes:
    """The whole body, an export's stream read to the end (what its time includes)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def gzip_ms(content: bytes, repeat: int = 50) -> str:
    """The median time of compressing ``content`` as the middleware does."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        compress_string(content, max_random_bytes=100)
        times.append(time.perf_counter() - start)
    return f"{statistics.median(times) * 1000:>6.2f}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:>6.1f}ms"


def options_only(only: str, label: str) -> bool:
    return not only or only in label
