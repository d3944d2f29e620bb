"""Benchmark the sitemap index and its sections at 20,000 organizations.

Runs in a throwaway database like ``bench_search`` (``var/bench_sitemap.sqlite3`` on
SQLite, ``<name>_bench_sitemap`` on PostgreSQL, dropped unless ``--keepdb``), filled
by ``sitedata.generator.generate_directory``. The sitemap leaves out demo rows
(``is_demo``), so in this throwaway database only, the generated rows are unflagged:
the sitemap then lists them like real entries.

Each document is requested through Django's test client: on a cache miss (the cache
cleared before each request), on a hit, and as a conditional GET answered 304; it
prints the median and 90th percentile time (a hit sent as is to a client that accepts
gzip, "gzip", or decompressed for one that does not, "hit"), the queries, the ``<url>`` (or
``<sitemap>``) entries and the bytes, plain and gzip-compressed. ``--before`` also
times the former single document (Django's own sitemap view over every section).
"""

import gzip
import os
import statistics
import time
import xml.etree.ElementTree as ET

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings

from directory import freshness
from directory.models import Organization, Person
from publications.models import Publication
from rightsnet.runtime import tune_garbage_collector
from sitedata import generator, sitemaps
from sitedata.management.benchdb import benchmark_database

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Time the sitemap index and sections (miss, hit, 304) at 20,000 organizations."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=20_000)
        parser.add_argument("--requests", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--keepdb", action="store_true", help="Keep (and reuse) the database.")
        parser.add_argument(
            "--before", action="store_true", help="Also time the former single document."
        )

    def handle(self, *args, **options):
        with benchmark_database("bench_sitemap", keepdb=options["keepdb"]):
            self._prepare(options)
            with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
                self._run(options)

    def _prepare(self, options):
        if Organization.objects.count() < options["orgs"]:
            self.stdout.write(f"Generating {options['orgs']} organizations ...")
            result = generator.generate_directory(
                orgs=options["orgs"], seed=options["seed"], clear=True
            )
            self.stdout.write(f"  done in {result.seconds:.1f} s")
        # Benchmark only: the demo rows counted as real ones (the sitemap skips demo rows).
        for model in (Organization, Person, Publication):
            model.objects.filter(is_demo=True).update(is_demo=False)
        freshness.bump()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    def _run(self, options):
        tune_garbage_collector()
        client = Client()
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        self.stdout.write(
            f"\n{connection.vendor}: {Organization.objects.published().count()} published "
            f"organizations, {Person.objects.published().count()} people, "
            f"{Publication.objects.published().count()} publications; "
            f"{options['requests']} timed requests per row; load average {load:.2f}\n"
        )
        index = client.get("/sitemap.xml")
        locations = [
            entry.find(f"{NS}loc").text.removeprefix("http://testserver")
            for entry in ET.fromstring(index.content).findall(f"{NS}sitemap")
        ]
        self.stdout.write(f"The index names {len(locations)} documents.\n")
        organizations = [loc for loc in locations if "organizations" in loc]
        documents = ["/sitemap.xml", organizations[0], organizations[-1]]
        documents += [loc for loc in locations if "people" in loc][:1]
        self.stdout.write(
            f"{'document':40} {'entries':>7} {'bytes':>9} {'gzip':>8} {'path':>5} "
            f"{'median':>9} {'p90':>9} {'queries':>7}"
        )
        for path in documents:
            self._document(client, path, options["requests"])
        if options["before"]:
            self._before()

    def _document(self, client, path, requests):
        plain = client.get(path)
        assert plain.status_code == 200, (path, plain.status_code)
        root = ET.fromstring(plain.content)
        entries = len(root.findall(f"{NS}url")) + len(root.findall(f"{NS}sitemap"))
        packed = len(gzip.compress(plain.content, compresslevel=6))
        etag = plain["ETag"]
        paths = {
            "miss": ({}, True),
            "hit": ({}, False),
            "gzip": ({"Accept-Encoding": "gzip"}, False),
            "304": ({"If-None-Match": etag}, False),
        }
        for label, (headers, clear) in paths.items():
            times = []
            for _ in range(requests if label != "miss" else max(3, requests // 4)):
                if clear:
                    cache.clear()
                start = time.perf_counter()
                response = client.get(path, headers=headers)
                times.append(time.perf_counter() - start)
            if clear:
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, headers=headers)
            assert response.status_code == (304 if label == "304" else 200)
            self.stdout.write(
                f"{path:40} {entries:>7} {len(plain.content):>9} {packed:>8} {label:>5} "
                f"{statistics.median(times) * 1000:>7.1f}ms "
                f"{percentile(times, 0.9) * 1000:>7.1f}ms {len(queries.captured_queries):>7}"
            )

    def _before(self):
        """The former /sitemap.xml: one document of every section, every item read whole."""

        def whole(cls):
            return type(
                f"Whole{cls.__name__}", (cls,), {"limit": 50_000, "paginator": Sitemap.paginator}
            )

        old = {name: whole(cls) for name, cls in sitemaps.SITEMAPS.items()}
        request = RequestFactory().get("/sitemap.xml")
        start = time.perf_counter()
        response = sitemap_views.sitemap(request, old)
        response.render()
        seconds = time.perf_counter() - start
        entries = len(ET.fromstring(response.content).findall(f"{NS}url"))
        self.stdout.write(
            f"\nBefore (one document, Django's sitemap view over all sections): {entries} "
            f"entries, {len(response.content)} bytes, {seconds * 1000:.0f} ms (one request)"
        )
