#!/usr/bin/env python3
"""Throughput of rightsnet under load, beside Datasette serving the same SQLite file.

Fills a throwaway database with ``manage.py generate_directory`` (``var/loadtest.sqlite3``;
on PostgreSQL ``<name>_loadtest`` on the server of ``DATABASE_URL``, created and dropped
here, never the database in use; ``--name`` changes the "loadtest"), serves it with
gunicorn and the production settings on 127.0.0.1, and drives a mix of the public
pages, drawn from the database's own slugs in both languages, with ``wrk`` at each
number of connections for a bounded time and number of requests. Then the same mix,
page type for page type, against Datasette serving the same SQLite file from its own
virtual environment. Prints one markdown table of requests per second, p50/p99
latency and errors, and the rightsnet/Datasette ratios. Every process it starts is
stopped at the end, on errors and on Ctrl-C too. See docs/performance.md ("Load").

Linux only (CPU shares come from /proc). Run it with the project's virtualenv:
``.venv/bin/python scripts/loadtest.py --help`` or ``make loadtest``.
"""

import argparse
import contextlib
import datetime
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
VAR = PROJECT / "var"
STATIC_ROOT = VAR / "loadtest-static"
LOG_DIR = VAR / "loadtest-logs"
DATASETTE_VENV = VAR / "datasette-venv"
DATASETTE_REQUIREMENT = "datasette==0.65.*"
HOST = "127.0.0.1"  # every server here listens on loopback only
PAGE_SIZE = 50  # listing.views.ListingView.paginate_by

# Share of each page type in the mix (out of 100), and of Russian pages.
WEIGHTS = {
    "home": 10,
    "organization": 27,
    "list": 24,
    "search": 10,
    "region": 8,
    "activity": 6,
    "people": 3,
    "person": 3,
    "publications": 3,
    "publication": 3,
    "practices": 3,
}
RUSSIAN_SHARE = 0.6
LIST_FILTERS = ("none", "region", "activity", "kind", "region+activity", "region+kind")
# The practical experience list: plain, filtered, searched, and its CSV export.
PRACTICE_VARIANTS = ("none", "region+activity", "search", "export")
# Common words of the generated names and descriptions (sitedata/generator.py).
SEARCH_WORDS = {
    "ru": ("права", "центр", "Хельсинкская", "помощи"),
    "en": ("rights", "centre", "Helsinki", "legal"),
}

# Rotates through prepared requests, one path per line of the file given after "--",
# each thread from its own offset; stops a thread after a number of requests; prints
# the results as one JSON line that parse_wrk() reads.
WRK_SCRIPT = r"""
local prepared, sent, limit, position = {}, 0, 0, 0

function setup(thread)
  threads_seen = (threads_seen or 0) + 1
  thread:set("offset", threads_seen * 7919)
end

function init(args)
  for line in io.lines(args[1]) do
    prepared[#prepared + 1] = wrk.format(nil, line)
  end
  limit = tonumber(args[2]) or 0
  position = (offset or 0) % #prepared
end

function request()
  sent = sent + 1
  if limit > 0 and sent >= limit then
    wrk.thread:stop()
  end
  position = position % #prepared + 1
  return prepared[position]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LOADTEST {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""

# Datasette as an ASGI app, so that uvicorn can run it in several processes.
DATASETTE_APP = """
import json
import os

from datasette.app import Datasette


def app():
    datasette = Datasette(
        immutables=[os.environ["LOADTEST_DATASETTE_FILE"]],
        metadata=json.loads(os.environ["LOADTEST_DATASETTE_METADATA"]),
        settings=json.loads(os.environ["LOADTEST_DATASETTE_SETTINGS"]),
    )
    return datasette.app()
"""


class LoadTestError(Exception):
    """A step failed; the message says which and what to do."""


# --- The data the mix is drawn from --------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: int
    slug: str


@dataclass(frozen=True)
class Region:
    id: int
    slug: str
    subtree: tuple[int, ...]  # its id and every descendant's


@dataclass(frozen=True)
class Catalogue:
    """Published rows of the load-test database that pages can be asked for."""

    organizations: tuple[Row, ...]
    regions: tuple[Region, ...]  # only those with published organizations in their subtree
    activities: tuple[Row, ...]
    kinds: tuple[str, ...]
    people: tuple[Row, ...]
    publications: tuple[Row, ...]


def read_catalogue(connection) -> Catalogue:
    """Read a ``Catalogue`` through any DB-API connection (sqlite3 or psycopg)."""

    def rows(sql: str) -> list[tuple]:
        cursor = connection.cursor()
        cursor.execute(sql)
        return cursor.fetchall()

    def published(table: str) -> tuple[Row, ...]:
        return tuple(
            Row(*row)
            for row in rows(f"SELECT id, slug FROM {table} WHERE is_published ORDER BY id")
        )

    parents = dict(rows("SELECT id, parent_id FROM directory_region"))
    slugs = dict(rows("SELECT id, slug FROM directory_region"))
    with_organizations = {
        region_id
        for (region_id,) in rows(
            "SELECT DISTINCT region_id FROM directory_organization "
            "WHERE is_published AND region_id IS NOT NULL"
        )
    }
    subtrees: dict[int, set[int]] = {region_id: {region_id} for region_id in parents}
    for region_id in parents:
        ancestor = parents[region_id]
        while ancestor is not None:
            subtrees[ancestor].add(region_id)
            ancestor = parents[ancestor]
    regions = tuple(
        Region(region_id, slugs[region_id], tuple(sorted(subtree)))
        for region_id, subtree in sorted(subtrees.items())
        if subtree & with_organizations
    )
    kinds = tuple(
        kind
        for (kind,) in rows(
            "SELECT DISTINCT kind FROM directory_organization WHERE is_published ORDER BY kind"
        )
    )
    activities = tuple(
        Row(*row) for row in rows("SELECT id, slug FROM directory_activitytype ORDER BY id")
    )
    catalogue = Catalogue(
        organizations=published("directory_organization"),
        regions=regions,
        activities=activities,
        kinds=kinds,
        people=published("directory_person"),
        publications=published("publications_publication"),
    )
    empty = [name for name, value in vars(catalogue).items() if not value]
    if empty:
        raise LoadTestError(f"The load-test database has no {', '.join(empty)} to ask for.")
    return catalogue


# --- The mix -------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One request of the mix, independent of the server that answers it."""

    page: str  # a key of WEIGHTS
    language: str = "ru"
    row: Row | None = None  # organization, person or publication
    region: Region | None = None
    activity: Row | None = None
    kind: str = ""
    word: str = ""
    export: bool = False  # the list's CSV export rather than its page


def build_mix(catalogue: Catalogue, *, size: int = 2000, seed: int = 1) -> list[Visit]:
    """``size`` visits in the proportions of ``WEIGHTS``, shuffled deterministically."""
    rng = random.Random(seed)
    pages = [page for page, weight in WEIGHTS.items() for _ in range(weight)]
    visits = []
    for index in range(size):
        page = pages[index % len(pages)]
        language = "ru" if rng.random() < RUSSIAN_SHARE else "en"
        visit = Visit(page=page, language=language)
        if page == "organization":
            visit = Visit(page, language, row=rng.choice(catalogue.organizations))
        elif page == "person":
            visit = Visit(page, language, row=rng.choice(catalogue.people))
        elif page == "publication":
            visit = Visit(page, language, row=rng.choice(catalogue.publications))
        elif page == "region":
            visit = Visit(page, language, region=rng.choice(catalogue.regions))
        elif page == "activity":
            visit = Visit(page, language, activity=rng.choice(catalogue.activities))
        elif page == "search":
            visit = Visit(page, language, word=rng.choice(SEARCH_WORDS[language]))
        elif page == "practices":
            chosen = rng.choice(PRACTICE_VARIANTS)
            visit = Visit(
                page,
                language,
                region=rng.choice(catalogue.regions) if "region" in chosen else None,
                activity=rng.choice(catalogue.activities) if "activity" in chosen else None,
                word=rng.choice(SEARCH_WORDS[language]) if chosen == "search" else "",
                export=chosen == "export",
            )
        elif page == "list":
            chosen = rng.choice(LIST_FILTERS)
            visit = Visit(
                page,
                language,
                region=rng.choice(catalogue.regions) if "region" in chosen else None,
                activity=rng.choice(catalogue.activities) if "activity" in chosen else None,
                kind=rng.choice(catalogue.kinds) if "kind" in chosen else "",
            )
        visits.append(visit)
    rng.shuffle(visits)
    return visits


def rightsnet_path(visit: Visit) -> str:
    """The rightsnet page of ``visit``."""
    prefix = f"/{visit.language}"
    if visit.page == "home":
        return f"{prefix}/"
    if visit.page == "organization":
        return f"{prefix}/organizations/{visit.row.slug}/"
    if visit.page == "person":
        return f"{prefix}/people/{visit.row.slug}/"
    if visit.page == "publication":
        return f"{prefix}/publications/{visit.row.slug}/"
    if visit.page == "region":
        return f"{prefix}/regions/{visit.region.slug}/"
    if visit.page == "activity":
        return f"{prefix}/activities/{visit.activity.slug}/"
    if visit.page == "people":
        return f"{prefix}/people/"
    if visit.page == "publications":
        return f"{prefix}/publications/"
    if visit.page == "search":
        return f"{prefix}/organizations/?{urlencode({'q': visit.word})}"
    if visit.page == "practices":
        query = [("q", visit.word)] if visit.word else []
        if visit.region:
            query.append(("region", visit.region.slug))
        if visit.activity:
            query.append(("activity", visit.activity.slug))
        page = "export.csv" if visit.export else ""
        return f"{prefix}/practices/{page}" + (f"?{urlencode(query)}" if query else "")
    if visit.page == "list":
        query = []
        if visit.region:
            query.append(("region", visit.region.slug))
        if visit.activity:
            query.append(("activity", visit.activity.slug))
        if visit.kind:
            query.append(("kind", visit.kind))
        return f"{prefix}/organizations/" + (f"?{urlencode(query)}" if query else "")
    raise ValueError(visit.page)


def datasette_path(visit: Visit, database: str) -> str:
    """The nearest Datasette page to ``visit``'s rightsnet page, in ``database``.

    Home is the database page (its tables and their counts); a detail page is the
    row page (with its counts of links from other tables); a list is the table
    filtered to published rows with the three facets both sites count (region,
    kind, status), a region as its subtree of ids, a type of work through the
    many-to-many table (as ``_where``); a search is ``_search`` on the FTS5 table that rightsnet
    keeps for its own search on SQLite. Datasette has no languages: both give the
    same page.
    """
    base = f"/{database}"
    organizations = f"{base}/directory_organization"
    if visit.page == "home":
        return base
    if visit.page == "organization":
        return f"{organizations}/{visit.row.id}"
    if visit.page == "person":
        return f"{base}/directory_person/{visit.row.id}"
    if visit.page == "publication":
        return f"{base}/publications_publication/{visit.row.id}"
    if visit.page == "region":
        return f"{base}/directory_region/{visit.region.id}"
    if visit.page == "activity":
        return f"{base}/directory_activitytype/{visit.activity.id}"
    if visit.page == "people":
        return f"{base}/directory_person?is_published=1"
    if visit.page == "publications":
        return f"{base}/publications_publication?is_published=1"
    if visit.page == "practices":
        table = "directory_practice.csv" if visit.export else "directory_practice"
        return f"{base}/{table}?is_published=1"
    facets = [("_facet", "region_id"), ("_facet", "kind"), ("_facet", "status")]
    query = [("is_published", "1")]
    if visit.page == "search":
        query.append(("_search", visit.word))
    elif visit.page == "list":
        if visit.region:
            query.append(("region_id__in", ",".join(map(str, visit.region.subtree))))
        if visit.activity:
            # The SQL of Datasette's ?_through=, which in 0.65 reuses the parameter name
            # of the first column filter (p0) and so finds nothing beside is_published.
            query.append(
                (
                    "_where",
                    "id in (select organization_id from directory_organization_activities "
                    f"where activitytype_id = {visit.activity.id})",
                )
            )
        if visit.kind:
            query.append(("kind", visit.kind))
    else:
        raise ValueError(visit.page)
    return f"{organizations}?{urlencode(query + facets, quote_via=quote)}"


def datasette_metadata(database: str) -> dict:
    """Datasette's ``_search`` on the organizations through rightsnet's own FTS5 table."""
    search = {"fts_table": "directory_organization_fts", "fts_pk": "id"}
    return {"databases": {database: {"tables": {"directory_organization": search}}}}


# Datasette's defaults but two: a page of rows as long as rightsnet's, and no facet
# suggestions (a query per column on every table page, which rightsnet has nothing like).
DATASETTE_SETTINGS = {"default_page_size": PAGE_SIZE, "suggest_facets": False}


# --- Measuring -----------------------------------------------------------------------


@dataclass
class Result:
    """One phase: a server at a number of connections."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # HTTP status >= 400, and connect/read/write errors and timeouts
    error_detail: dict[str, int] = field(default_factory=dict)
    server_cpu: float = float("nan")  # cores busy in the server's processes
    generator_cpu: float = float("nan")  # cores busy in wrk
    machine_cpu: float = float("nan")  # cores busy on the whole machine

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def per_cpu_second(self) -> float:
        """Requests answered per second of the server's CPU: what a busy machine changes
        least, as it measures the work per request rather than the CPU the server got."""
        return self.rps / self.server_cpu if self.server_cpu > 0 else float("nan")


def parse_wrk(output: str) -> Result:
    """The ``Result`` printed by ``WRK_SCRIPT``'s ``done()`` in wrk's output."""
    for line in output.splitlines():
        if line.startswith("LOADTEST "):
            data = json.loads(line.removeprefix("LOADTEST "))
            break
    else:
        raise LoadTestError(f"wrk printed no result line; its output was:\n{output}")
    detail = {name: data[name] for name in ("connect", "read", "write", "status", "timeout")}
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=sum(detail.values()),
        error_detail=detail,
    )


def server_cpu(root: int, postgres_database: str = "") -> float:
    """CPU seconds used so far by ``root``, its live descendants and (when named) the
    PostgreSQL backends connected to ``postgres_database``: the whole server, as SQLite
    works inside the server's own processes. Read from /proc."""
    parents, times, backends = {}, {}, set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            title = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = int(fields[11]) + int(fields[12])  # utime + stime, in ticks
        if postgres_database and backend_database(title) == postgres_database:
            backends.add(pid)
    tree, grown = {root}, True
    while grown:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grown = bool(children)
    return sum(times.get(pid, 0) for pid in tree | backends) / os.sysconf("SC_CLK_TCK")


def backend_database(cmdline: str) -> str | None:
    """The database of a PostgreSQL backend from its process title, which is
    "postgres: [<cluster name>: ]<user> <database> <client> <state>"."""
    fields = cmdline.replace("\0", " ").split()
    if fields[:1] != ["postgres:"]:
        return None
    fields = fields[1:]
    if fields and fields[0].endswith(":"):  # the cluster's name, e.g. "15/main:"
        fields = fields[1:]
    if len(fields) < 3 or fields[0].endswith(":"):
        return None  # an auxiliary process: "checkpointer", "autovacuum launcher"...
    return fields[1]


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores together."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    total = sum(values[:8])  # user nice system idle iowait irq softirq steal
    busy = total - values[3] - values[4]
    return busy / os.sysconf("SC_CLK_TCK"), total / os.sysconf("SC_CLK_TCK")


def run_wrk(
    *, port: int, paths_file: Path, script: Path, connections: int, seconds: int,
    max_requests: int, cpu: Callable[[], float],
) -> Result:  # fmt: skip
    """One phase of wrk against 127.0.0.1:``port``; ``cpu()`` gives the server's CPU seconds."""
    command = [
        "wrk", "--threads", "1", "--connections", str(connections),
        "--duration", f"{seconds}s", "--timeout", "30s",
        # Gunicorn's sync workers close every connection (as behind a proxy); Datasette
        # would keep them open: both are asked to close, so both pay for connecting.
        "--header", "Connection: close",
        "--script", str(script), f"http://{HOST}:{port}",
        "--", str(paths_file), str(max_requests),
    ]  # fmt: skip
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = cpu()
    busy_before, total_before = machine_cpu()
    wall = time.monotonic()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        output, _ = process.communicate(timeout=seconds + 60)
    except subprocess.TimeoutExpired as error:
        raise LoadTestError(
            f"wrk did not stop within {seconds + 60} s of a {seconds} s run"
        ) from error
    finally:
        stop_process(process)
    wall = time.monotonic() - wall
    busy_after, total_after = machine_cpu()
    server_after = cpu()
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise LoadTestError(f"wrk failed (exit {process.returncode}):\n{output}")
    result = parse_wrk(output)
    cores = os.cpu_count() or 1
    generator = (children_after.ru_utime + children_after.ru_stime) - (
        children_before.ru_utime + children_before.ru_stime
    )
    result.generator_cpu = generator / wall
    result.server_cpu = (server_after - server_before) / wall
    total = total_after - total_before
    result.machine_cpu = cores * (busy_after - busy_before) / total if total else float("nan")
    return result


# --- Processes -----------------------------------------------------------------------


def stop_process(process: subprocess.Popen, grace: float = 10) -> None:
    """Stop ``process`` and its session (started with start_new_session=True)."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port(start: int) -> int:
    """The first port from ``start`` on that nothing listens on at 127.0.0.1."""
    for port in range(start, start + 100):
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise LoadTestError(f"No free port on {HOST} between {start} and {start + 99}.")


def http_status(url: str) -> int | None:
    """The status of GET ``url`` (no proxy), or None when nothing answers."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, urllib.error.URLError):
        return None


@contextlib.contextmanager
def serving(
    name: str, command: Sequence[str], *, env: dict, port: int, ready_path: str
) -> Iterator[subprocess.Popen]:
    """Run a server until the block ends; fail if ``ready_path`` does not answer 200."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"{name}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise LoadTestError(f"{name} exited at start; see {log_path}")
                status = http_status(f"http://{HOST}:{port}{ready_path}")
                if status == 200:
                    break
                if status is not None or time.monotonic() > deadline:
                    raise LoadTestError(
                        f"{name} answered {status} for {ready_path} instead of 200; see {log_path}"
                    )
                time.sleep(0.3)
            yield process
        finally:
            stop_process(process)


def run(command: Sequence[str], *, env: dict | None = None, what: str) -> str:
    completed = subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise LoadTestError(
            f"{what} failed (exit {completed.returncode}):\n{completed.stdout}{completed.stderr}"
        )
    return completed.stdout


def base_env() -> dict:
    """This environment without the settings that the servers get from here."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in ("DATABASE_URL", "REDIS_URL")
    }


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise LoadTestError(
            "wrk is missing: install it (Debian/Ubuntu: apt-get install wrk) and run again."
        )
    print("Installing wrk (apt-get install wrk) ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env, what="apt-get update")
    run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, what="apt-get install wrk")


def ensure_datasette() -> Path:
    """The Python of var/datasette-venv, created with Datasette in it when missing."""
    python = DATASETTE_VENV / "bin" / "python"
    if not (DATASETTE_VENV / "bin" / "datasette").exists():
        print(f"Installing {DATASETTE_REQUIREMENT} into {DATASETTE_VENV} ...", flush=True)
        base = getattr(sys, "_base_executable", sys.executable)
        run([base, "-m", "venv", str(DATASETTE_VENV)], what="python -m venv")
        run(
            [str(python), "-m", "pip", "install", "--quiet", DATASETTE_REQUIREMENT],
            what="pip install datasette",
        )
    return python


# --- Databases -----------------------------------------------------------------------


@dataclass
class Database:
    """A throwaway load-test database."""

    label: str  # "SQLite" or "PostgreSQL"
    url: str  # DATABASE_URL for the servers
    sqlite_path: Path | None = None
    admin_url: str = ""  # PostgreSQL: the maintenance database
    name: str = ""  # PostgreSQL: the database's name

    def connect(self):
        if self.sqlite_path:
            return contextlib.closing(sqlite3.connect(self.sqlite_path))
        return _postgres(self.url)

    def exists(self) -> bool:
        if self.sqlite_path:
            return self.sqlite_path.exists()
        with self._admin() as admin:
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return found.fetchone() is not None

    def create(self) -> None:
        self.drop()
        if self.sqlite_path:
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            return
        from psycopg import sql

        with self._admin() as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        if self.sqlite_path:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
            return
        from psycopg import sql

        with self._admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )

    def demo_organizations(self) -> int:
        with self.connect() as connection:
            cursor = connection.cursor()
            cursor.execute("SELECT COUNT(*) FROM directory_organization WHERE is_demo")
            return cursor.fetchone()[0]

    def analyze(self) -> None:
        """Statistics (and PostgreSQL's GIN pending lists) as a settled database has them."""
        if self.sqlite_path:
            with self.connect() as connection:
                connection.execute("ANALYZE")
            return
        with _postgres(self.url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")

    def _admin(self):
        return _postgres(self.admin_url, autocommit=True)


def _postgres(url: str, **options):
    import psycopg

    try:
        return psycopg.connect(url, connect_timeout=10, **options)
    except psycopg.Error as error:
        raise LoadTestError(f"Cannot connect to PostgreSQL ({url}): {error}") from error


def sqlite_database(name: str) -> Database:
    """``var/<name>.sqlite3``."""
    path = VAR / f"{name}.sqlite3"
    return Database("SQLite", f"sqlite:///{path}", sqlite_path=path)


def postgres_database(database_url: str, name: str) -> Database:
    """``<database>_<name>`` on the server of ``database_url`` (a PostgreSQL URL)."""
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise LoadTestError(
            "The PostgreSQL run needs DATABASE_URL=postgres://user@host:port/name "
            f"(got {database_url or 'nothing'}); its server gets a <name>_loadtest database."
        )
    database = f"{parts.path.lstrip('/') or 'rightsnet'}_{name}"
    return Database(
        "PostgreSQL",
        urlunsplit(parts._replace(path=f"/{database}")),
        admin_url=urlunsplit(parts._replace(scheme="postgresql", path="/postgres")),
        name=database,
    )


def prepare(database: Database, *, orgs: int, seed: int, keepdb: bool) -> None:
    """Fill ``database`` with ``orgs`` generated organizations, or reuse it (--keepdb)."""
    env = {**base_env(), "DATABASE_URL": database.url}
    reuse = keepdb and database.exists()
    if not reuse:
        database.create()
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env=env, what="migrate")
    if reuse and database.demo_organizations() == orgs:
        print(f"{database.label}: reusing the database with {orgs} organizations", flush=True)
    else:
        print(f"{database.label}: generating {orgs} organizations ...", flush=True)
        started = time.monotonic()
        run(
            [sys.executable, "manage.py", "generate_directory", "--orgs", str(orgs),
             "--seed", str(seed), "--clear", "--no-progress"],
            env=env, what="generate_directory",
        )  # fmt: skip
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    database.analyze()


# --- The run -------------------------------------------------------------------------


@dataclass
class Phase:
    database: str  # "SQLite" or "PostgreSQL"
    server: str  # "rightsnet" or "Datasette"
    connections: int
    result: Result


def drive(
    server: str, database: str, *, port: int, paths: list[str], cpu: Callable[[], float], options
) -> list[Phase]:
    """Warm ``server`` up, then one phase per number of connections."""
    with tempfile.TemporaryDirectory(prefix="loadtest-") as folder:
        paths_file, script = Path(folder) / "paths.txt", Path(folder) / "mix.lua"
        paths_file.write_text("\n".join(paths) + "\n")
        script.write_text(WRK_SCRIPT)
        common = dict(port=port, paths_file=paths_file, script=script, cpu=cpu)
        if options.warmup:
            print(f"  {server} on {database}: warming up for {options.warmup} s", flush=True)
            run_wrk(
                **common, connections=min(options.connections), seconds=options.warmup,
                max_requests=options.max_requests,
            )  # fmt: skip
        phases = []
        for connections in options.connections:
            print(
                f"  {server} on {database}: {connections} connections, {options.seconds} s ...",
                flush=True,
            )
            result = run_wrk(
                **common, connections=connections, seconds=options.seconds,
                max_requests=options.max_requests,
            )  # fmt: skip
            print(
                f"    {result.rps:.1f} requests/s, p50 {result.p50_ms:.0f} ms, "
                f"p99 {result.p99_ms:.0f} ms, {result.errors} errors",
                flush=True,
            )
            phases.append(Phase(database, server, connections, result))
        return phases


def rightsnet_env(database: Database, options) -> dict:
    env = {
        **base_env(),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
        "DATABASE_URL": database.url,
    }
    if options.redis_url:
        env["REDIS_URL"] = options.redis_url
        # A key prefix of its own: nothing cached by an earlier run is ever read.
        env["DJANGO_CACHE_PREFIX"] = f"loadtest-{secrets.token_hex(4)}"
    return env


def load_rightsnet(database: Database, catalogue: Catalogue, options) -> list[Phase]:
    env = rightsnet_env(database, options)
    port = free_port(options.port)
    paths = [rightsnet_path(visit) for visit in build_mix(catalogue, size=options.mix_size)]
    command = [
        sys.executable, "-m", "gunicorn", "rightsnet.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", str(options.workers),
    ]  # fmt: skip
    try:
        with serving(f"rightsnet-{database.label.lower()}", command, env=env, port=port,
                     ready_path="/ru/") as process:  # fmt: skip
            return drive("rightsnet", database.label, port=port, paths=paths,
                         cpu=lambda: server_cpu(process.pid, database.name),
                         options=options)  # fmt: skip
    finally:
        if options.redis_url:
            forget_cache(options.redis_url, env["DJANGO_CACHE_PREFIX"])


def forget_cache(redis_url: str, prefix: str) -> None:
    """Delete what the run cached in Redis (every key under its own prefix)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


def load_datasette(database: Database, catalogue: Catalogue, python: Path, options) -> list[Phase]:
    port = free_port(options.port)
    name = database.sqlite_path.stem  # Datasette names a database after its file
    mix = build_mix(catalogue, size=options.mix_size)
    paths = [datasette_path(visit, name) for visit in mix]
    with tempfile.TemporaryDirectory(prefix="loadtest-datasette-") as folder:
        (Path(folder) / "loadtest_datasette.py").write_text(DATASETTE_APP)
        env = {
            **base_env(),
            "LOADTEST_DATASETTE_FILE": str(database.sqlite_path),
            "LOADTEST_DATASETTE_METADATA": json.dumps(datasette_metadata(name)),
            "LOADTEST_DATASETTE_SETTINGS": json.dumps(DATASETTE_SETTINGS),
        }
        command = [
            str(python), "-m", "uvicorn", "--factory", "loadtest_datasette:app",
            "--app-dir", folder, "--host", HOST, "--port", str(port),
            "--workers", str(options.workers), "--no-access-log",
        ]  # fmt: skip
        with serving("datasette", command, env=env, port=port,
                     ready_path=f"/{name}") as process:  # fmt: skip
            return drive("Datasette", "SQLite", port=port, paths=paths,
                         cpu=lambda: server_cpu(process.pid), options=options)  # fmt: skip


def collect_static() -> None:
    env = {
        **base_env(),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
    }
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env,
        what="collectstatic")  # fmt: skip


def compile_translations() -> None:
    if not all((PROJECT / "locale" / code / "LC_MESSAGES" / "django.mo").exists()
               for code in ("ru", "en")):  # fmt: skip
        run([sys.executable, "manage.py", "compiletranslations"], env=base_env(),
            what="compiletranslations")  # fmt: skip


# --- Report --------------------------------------------------------------------------


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def report(phases: list[Phase]) -> str:
    """The results table, then the rightsnet/Datasette ratios when Datasette ran."""
    header = (
        "database", "server", "connections", "requests", "req/s", "p50 ms", "p99 ms",
        "errors", "req/CPU-s", "server CPU", "wrk CPU", "others' CPU",
    )  # fmt: skip
    rows = []
    for phase in phases:
        r = phase.result
        others = r.machine_cpu - r.server_cpu - r.generator_cpu
        rows.append(
            (
                phase.database, phase.server, phase.connections, r.requests, f"{r.rps:.1f}",
                f"{r.p50_ms:.0f}", f"{r.p99_ms:.0f}", r.errors, f"{r.per_cpu_second:.1f}",
                f"{r.server_cpu:.2f}", f"{r.generator_cpu:.2f}", f"{max(others, 0):.2f}",
            )
        )  # fmt: skip
    text = markdown_table(header, rows)
    by_key = {(p.database, p.server, p.connections): p.result for p in phases}
    datasette = {c: r for (d, s, c), r in by_key.items() if s == "Datasette"}
    if datasette:
        ratio_rows = []
        for connections, theirs in datasette.items():
            row = [connections, f"{theirs.rps:.1f}"]
            for database in ("SQLite", "PostgreSQL"):
                ours = by_key.get((database, "rightsnet", connections))
                row += (
                    [
                        f"{ours.rps:.1f}",
                        _ratio(ours.rps, theirs.rps),
                        _ratio(theirs.p50_ms, ours.p50_ms),
                        _ratio(ours.per_cpu_second, theirs.per_cpu_second),
                    ]
                    if ours
                    else ["-"] * 4
                )
            ratio_rows.append(row)
        text += "\n\n" + markdown_table(
            (
                "connections", "Datasette req/s", "rightsnet SQLite req/s", "ratio req/s",
                "ratio p50", "ratio req/CPU-s", "rightsnet PostgreSQL req/s", "ratio req/s",
                "ratio p50", "ratio req/CPU-s",
            ),
            ratio_rows,
        )  # fmt: skip
        text += (
            "\n\nRatios are rightsnet / Datasette for req/s and req/CPU-s, Datasette / "
            "rightsnet for the median latency: above 1, rightsnet is faster."
        )
    text += (
        "\n\nCPU columns: cores busy during the phase in the server's processes (with its "
        "PostgreSQL backends), in wrk, and in everything else on the machine; "
        f"{os.cpu_count()} cores. req/CPU-s: requests per second of server CPU."
    )
    return text


def _ratio(numerator: float, denominator: float) -> str:
    ratio = numerator / denominator if denominator else float("nan")
    return "-" if ratio != ratio else f"{ratio:.2f}"


def connection_counts(value: str) -> list[int]:
    counts = [int(part) for part in value.split(",") if part.strip()]
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("a comma-separated list of positive numbers")
    return counts


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def database_name(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,30}", value):
        raise argparse.ArgumentTypeError("lower-case letters, digits and _ (at most 31)")
    return value


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Load-test rightsnet (gunicorn, production settings, 127.0.0.1 only) on a "
            "throwaway database of generated organizations, beside Datasette serving the "
            "same SQLite file."
        )
    )
    parser.add_argument("--orgs", type=positive, default=5000, help="organizations (5000)")
    parser.add_argument("--seed", type=int, default=1, help="generator and mix seed (1)")
    parser.add_argument("--seconds", type=positive, default=60, help="per phase (60)")
    parser.add_argument(
        "--max-requests", type=positive, default=100_000, help="per phase at most (100000)"
    )
    parser.add_argument("--warmup", type=int, default=5, help="seconds before the phases (5)")
    parser.add_argument(
        "--connections", type=connection_counts, default=[16, 64], help="e.g. 16,64 (default)"
    )
    parser.add_argument(
        "--workers", type=positive, default=2,
        help="gunicorn workers, and Datasette's uvicorn processes (2)",
    )  # fmt: skip
    parser.add_argument(
        "--databases",
        default=None,
        help="sqlite, postgresql or sqlite,postgresql (default: sqlite, and postgresql too "
        "when DATABASE_URL is a PostgreSQL URL; its server gets a <name>_loadtest database)",
    )
    parser.add_argument(
        "--name",
        type=database_name,
        default="loadtest",
        help="of the throwaway databases: var/NAME.sqlite3 and <name>_NAME (loadtest)",
    )
    parser.add_argument("--no-datasette", action="store_true", help="rightsnet only")
    parser.add_argument(
        "--keepdb", action="store_true", help="keep the databases, and reuse them next time"
    )
    parser.add_argument("--redis-url", default="", help="serve rightsnet with this REDIS_URL")
    parser.add_argument("--port", type=int, default=18080, help="first port to try (18080)")
    parser.add_argument("--mix-size", type=positive, default=2000, help="distinct requests")
    options = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if options.databases is None:
        pg = urlsplit(database_url).scheme.startswith("postgres")
        options.databases = ["sqlite", "postgresql"] if pg else ["sqlite"]
    else:
        options.databases = [part.strip() for part in options.databases.split(",")]
        unknown = set(options.databases) - {"sqlite", "postgresql"}
        if unknown or not options.databases:
            parser.error("--databases takes sqlite, postgresql or sqlite,postgresql")
    if "sqlite" not in options.databases and not options.no_datasette:
        parser.error("Datasette serves the SQLite database: add sqlite or --no-datasette")
    return options


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    command = "scripts/loadtest.py " + " ".join(sys.argv[1:] if argv is None else argv)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    # Both, even when started with SIGINT ignored (as `command &` in a script is).
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    databases = []
    try:
        ensure_wrk()
        datasette_python = None if options.no_datasette else ensure_datasette()
        compile_translations()
        collect_static()
        if "sqlite" in options.databases:
            databases.append(sqlite_database(options.name))
        if "postgresql" in options.databases:
            databases.append(postgres_database(os.environ.get("DATABASE_URL", ""), options.name))
        phases = []
        started = datetime.datetime.now(datetime.UTC)
        load_before = os.getloadavg()
        for database in databases:
            prepare(database, orgs=options.orgs, seed=options.seed, keepdb=options.keepdb)
            with database.connect() as connection:
                catalogue = read_catalogue(connection)
            phases += load_rightsnet(database, catalogue, options)
            if database.sqlite_path and datasette_python:
                phases += load_datasette(database, catalogue, datasette_python, options)
        print()
        print(f"Command: `{command.strip()}`")
        print(
            f"Started {started:%Y-%m-%d %H:%M} UTC; {options.orgs} organizations; "
            f"{options.seconds} s and at most {options.max_requests} requests per phase; "
            f"{options.workers} gunicorn workers"
            + ("" if options.no_datasette else f" and {options.workers} Datasette processes")
            + ("; Redis cache" if options.redis_url else "; local-memory cache")
            + f"; load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after."
        )
        print()
        print(report(phases))
        return 0
    except LoadTestError as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("loadtest: interrupted; servers stopped", file=sys.stderr)
        return 130
    finally:
        if not options.keepdb:
            for database in databases:
                with contextlib.suppress(Exception):
                    database.drop()


if __name__ == "__main__":
    sys.exit(main())
