"""Prove that a refactor changes nothing a user sees: pages, exports and query counts.

Three steps, run with the project's Python (stdlib and Django only):

1. ``prepare``: build a fixed database once (migrate, ``load_sample_data``, a seeded
   ``generate_directory``) with the code of ``--checkout``. Snapshots only read it.
   ``--database`` is a SQLite file path (it must not exist yet) or a PostgreSQL URL
   (an empty database: ``createdb NAME`` first)::

       python scripts/check_identity.py prepare --checkout /work/wt/baseline \\
           --database /tmp/identity.sqlite3

2. ``snapshot``: run the code of ``--checkout`` in-process with Django's test client
   against that database and record, for every URL of ``urls()``, the body (normalised),
   status, headers and the number of queries of a cache miss and of a cache hit. The
   code of the checkout is imported, so an older checkout without this script works::

       python scripts/check_identity.py snapshot --checkout . \\
           --database /tmp/identity.sqlite3 --out /tmp/after

3. ``compare OLD NEW``: exit 0 when every body and header is byte-identical and no
   query count rose; else print the URLs that differ with a short diff, and exit 1.
   Counts that fell are listed as information.

Both snapshots are taken on the same database, prepared once with the code from before
the change (its migrations). A snapshot never writes to it: SQLite is read from a copy,
PostgreSQL in read-only transactions. Each URL is fetched with an empty cache (the local
memory cache; REDIS_URL is ignored), then again (a hit), each time by a new client without
cookies, with DEBUG off as under pytest. Normalised, because they differ from run to run:
the CSP nonce, CSRF tokens, the order of the CSP header's directives (django-csp writes a
set), the date in an export's file name, the sitemap's Last-Modified (the time a document
was first built). Nothing else.

The URLs are ``urls()`` below (pages of every type in both languages, the three lists with
many filter combinations and bad input, every export); add to it, never take away.
``tests/test_check_identity.py`` checks ``compare``.
"""

import argparse
import difflib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from urllib.parse import quote

GENERATE = "--orgs 2000 --people 600 --publications 300 --seed 11 --no-progress".split()
NORMALISE = [
    (re.compile(rb'nonce="[^"]*"'), b'nonce="NONCE"'),
    (re.compile(rb"'nonce-[^']*'"), b"'nonce-NONCE'"),
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*"'), rb'\1CSRF"'),
]
READ_ONLY = "options=-c%20default_transaction_read_only%3Don"
HEADER_NORMALISE = {
    "Content-Security-Policy": (r"'nonce-[^']*'", "'nonce-NONCE'"),
    "Content-Disposition": (r"\d{4}-\d{2}-\d{2}", "YYYY-MM-DD"),
    "Last-Modified": (r".+", "TIME"),
}


def _environment(database: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_DEBUG")}
    env["DATABASE_URL"] = database if "://" in database else f"sqlite:///{Path(database).resolve()}"
    return env


def prepare(checkout: Path, database: str) -> None:
    if "://" not in database and Path(database).exists():
        sys.exit(f"{database} exists: a fixed database is made once, from nothing")
    env = _environment(database)
    for command in (["migrate", "-v0"], ["load_sample_data"], ["generate_directory", *GENERATE]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=checkout, env=env, check=True)


# The URLs: slugs are read from the fixed database, so both snapshots ask the same.


def _first(queryset, default="no-such-slug"):
    return queryset.values_list("slug", flat=True).first() or default


def urls() -> list[str]:
    from django.db.models import Count, Q

    from directory.models import ActivityType, Organization, Person, Region
    from publications.models import Publication, Series

    orgs = Organization.objects.filter(is_published=True).order_by("pk")
    hidden = _first(orgs.filter(contacts_public=False))
    linked = _first(
        orgs.annotate(b=Count("branches", distinct=True), p=Count("partners", distinct=True))
        .filter(b__gt=0, p__gt=0)
        .order_by("-b", "-p", "pk")
    )
    sample = _first(orgs.filter(is_demo=False))
    synthetic = _first(orgs.filter(is_demo=True).order_by("-pk"))
    by_orgs = Region.objects.annotate(n=Count("organizations")).order_by("-n", "pk")
    top = _first(by_orgs.filter(parent=None))
    nested = _first(by_orgs.filter(parent__parent__isnull=False))
    mid = _first(by_orgs.filter(parent__isnull=False, parent__parent=None))
    activities = list(
        ActivityType.objects.annotate(n=Count("organizations"))
        .order_by("-n", "pk")
        .values_list("slug", flat=True)[:2]
    )
    people = Person.objects.filter(is_published=True).order_by("pk")
    person = _first(people.filter(is_demo=False))
    person2 = _first(people.annotate(n=Count("affiliations")).order_by("-n", "pk"))
    employer = _first(orgs.annotate(n=Count("affiliations")).order_by("-n", "pk"))
    pubs = Publication.objects.filter(is_published=True).order_by("pk")
    pub = _first(pubs.annotate(n=Count("editors")).order_by("-n", "pk"))
    planned = _first(pubs.filter(status="planned"))
    sample_pub = _first(pubs.filter(is_demo=False))
    series = _first(Series.objects.annotate(n=Count("publications")).order_by("-n", "pk"))
    topic = _first(ActivityType.objects.filter(~Q(publications=None)).order_by("pk"))
    year = pubs.exclude(year=None).values_list("year", flat=True).first() or 1993
    lang = pubs.values_list("language", flat=True).first() or "ru"
    a1, a2 = (activities + ["no-such-slug"] * 2)[:2]
    long_q = quote("я" * 300)
    org_queries = [
        "", f"region={top}", f"region={nested}", f"activity={a1}", f"activity={a1}&activity={a2}",
        "kind=group", "kind=group&kind=network", "status=active", "status=closed&status=unknown",
        f"region={mid}&activity={a1}", f"region={top}&activity={a1}&kind=group&status=active",
        "q=%D0%BF%D1%80%D0%B0%D0%B2%D0%B0", "q=pravozashchitnyi", "q=helsinki",
        "q=%D0%BF%D1%80%D0%B0%D0%B2&sort=relevance", "q=%D0%BF%D1%80%D0%B0%D0%B2&sort=name",
        "q=%D0%BF%D1%80%D0%B0%D0%B2&sort=-updated", "q=%D0%BF%D1%80%D0%B0%D0%B2&sort=founded",
        "sort=founded", "sort=-updated&page=3", "page=40", "page=99999", "page=0", "page=abc",
        "sort=bogus", "sort=relevance", "region=no-such-slug", "activity=no-such-slug",
        "q=%00", "q=a%00b", "region=%00", "q=%E2%84%96", f"q={long_q}", "q=" + "x" * 5000,
        "q=moscow&q=kyiv", f"region={top}&region={nested}", "sort=name&sort=-updated",
        f"q=group&region={top}&activity={a1}&kind=ngo&kind=group&sort=founded&page=2",
    ]  # fmt: skip
    person_queries = [
        "", f"region={top}", f"organization={employer}", "q=%D0%B8%D0%B2%D0%B0%D0%BD",
        "q=ivan&sort=relevance", "q=ivan&sort=-updated", "page=5", "page=99999", "sort=bogus",
        "organization=%00", "organization=no-such-slug", f"region={nested}&q=a", "q=%E2%84%96",
    ]  # fmt: skip
    pub_queries = [
        "", f"series={series}", f"year={year}", f"language={lang}", f"topic={topic}",
        "status=planned", f"series={series}&year={year}&status=published",
        "q=%D0%BF%D1%80%D0%B0%D0%B2%D0%B0", "q=prava&sort=year", "q=prava&sort=-year",
        "q=prava&sort=title", "q=prava&sort=relevance", "page=2", "page=99999", "sort=bogus",
        "year=abc", "year=%00", "q=%E2%84%96", f"year={year}&year=1",
    ]  # fmt: skip
    export_queries = {
        "organizations/export": [
            "", "q=helsinki", f"region={top}&activity={a1}&kind=group&status=active",
            "q=zzzznothing", "sort=bogus&page=abc", f"region={nested}&sort=-updated",
        ],
        "people/export": [
            "", "q=ivan", f"organization={employer}&region={top}", "q=zzzznothing",
            "organization=%00",
        ],
        "publications/export": [
            "", "q=prava", f"series={series}&year={year}&topic={topic}", "q=zzzznothing",
            "year=%00",
        ],
    }  # fmt: skip
    found = ["/", "/organizations/", "/robots.txt", "/sitemap.xml", "/sitemap.xml?p=2"]
    found += ["/sitemap-organizations.xml", "/sitemap-people.xml?p=1", "/sitemap-nothing.xml"]
    for language in ("ru", "en"):
        base = f"/{language}/"
        found += [base, base + "about/", base + "regions/", base + "activities/"]
        found += [f"{base}organizations/{slug}/" for slug in (hidden, linked, sample, synthetic)]
        found += [f"{base}regions/{slug}/" for slug in (top, mid, nested)]
        found += [f"{base}activities/{a1}/", f"{base}people/{person}/", f"{base}people/{person2}/"]
        found += [f"{base}publications/{slug}/" for slug in (pub, planned, sample_pub)]
        found += [base + "no-such-page/", base + "organizations/no-such-slug/"]
        found += [base + "organizations"]  # no slash: a redirect
        for path, queries in (
            ("organizations/", org_queries if language == "ru" else org_queries[:20]),
            ("people/", person_queries),
            ("publications/", pub_queries),
        ):
            found += [base + path + ("?" + q if q else "") for q in queries]
        for path, queries in export_queries.items():
            for fmt in ("csv", "json"):
                found += [f"{base}{path}.{fmt}" + ("?" + q if q else "") for q in queries]
        found += [f"{base}organizations/export.xml"]
    assert len(set(found)) == len(found), "a URL is listed twice"
    return found


# Snapshots.


def _setup(checkout: Path, database: str) -> None:
    environment = _environment(database)
    os.environ.clear()
    os.environ.update(environment)
    os.environ["DJANGO_SETTINGS_MODULE"] = "rightsnet.settings"
    os.chdir(checkout)
    sys.path.insert(0, str(checkout))
    import django
    from django.test.utils import setup_test_environment

    warnings.filterwarnings("ignore", "No directory at")  # STATIC_ROOT, as in pyproject.toml
    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 404s are expected
    setup_test_environment(debug=False)  # as pytest-django runs the tests


def _fetch(url: str) -> dict:
    from contextlib import ExitStack

    from django.core.cache import caches
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for cache in caches.all():  # the request-scoped memo of directory.freshness needs nothing
        cache.clear()
    counts = []
    for _attempt in ("miss", "hit"):
        with ExitStack() as stack:
            captured = [stack.enter_context(CaptureQueriesContext(c)) for c in connections.all()]
            response = Client(raise_request_exception=False).get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            response.close()
        counts.append(sum(len(c) for c in captured))
    for pattern, replacement in NORMALISE:
        body = pattern.sub(replacement, body)
    headers = {}
    for name, value in sorted(response.headers.items()):
        if name in HEADER_NORMALISE:
            value = re.sub(*HEADER_NORMALISE[name], value)
        if name == "Content-Security-Policy":  # in a set's order, which the hash seed sets
            value = "; ".join(sorted(value.split("; ")))
        headers[name] = value
    for name, morsel in sorted(response.cookies.items()):
        attributes = {k: v for k, v in morsel.items() if v and k != "expires"}
        headers[f"Set-Cookie {name}"] = json.dumps(attributes, sort_keys=True)
    return {"status": response.status_code, "headers": headers, "queries": counts, "body": body}


def snapshot(checkout: Path, database: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        if "://" not in database:  # a copy: whatever a request might write is thrown away
            database = str(shutil.copy(database, Path(scratch) / "db.sqlite3"))
        elif database.startswith("postgres"):  # a write fails the request: it shows as a 500
            database += ("&" if "?" in database else "?") + READ_ONLY
        _setup(checkout.resolve(), database)
        out.mkdir(parents=True)  # never mixed with an older snapshot's files
        _fetch("/ru/")  # warm-up: what a process does once is in no URL's count
        index = {}
        for number, url in enumerate(urls()):
            entry = _fetch(url)
            name = f"{number:03d}.body"
            (out / name).write_bytes(entry.pop("body"))
            index[url] = {**entry, "body": name}
        (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(index)} URLs written to {out}")


# Comparison.


def _diff(old: bytes, new: bytes, limit: int = 30) -> str:
    old_lines = old.decode("utf-8", "replace").splitlines()
    new_lines = new.decode("utf-8", "replace").splitlines()
    lines = list(difflib.unified_diff(old_lines, new_lines, "old", "new", n=1, lineterm=""))
    shown = [line[:300] for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"... {len(lines) - limit} more diff lines")
    return "\n".join("    " + line for line in shown)


def compare(old_dir: Path, new_dir: Path) -> int:
    """Print every difference between two snapshots; 0 when none counts against the new."""
    old = json.loads((old_dir / "index.json").read_text())
    new = json.loads((new_dir / "index.json").read_text())
    failures, fell = 0, []
    for url in sorted(set(old) | set(new), key=lambda u: list(old).index(u) if u in old else 1e9):
        if url not in old or url not in new:
            print(f"URL only in {'new' if url in new else 'old'} snapshot: {url}")
            failures += 1
            continue
        a, b = old[url], new[url]
        problems = []
        if a["status"] != b["status"]:
            problems.append(f"  status: {a['status']} -> {b['status']}")
        for name in sorted(set(a["headers"]) | set(b["headers"])):
            if a["headers"].get(name) != b["headers"].get(name):
                before, after = a["headers"].get(name), b["headers"].get(name)
                problems.append(f"  header {name}: {before!r}\n    -> {after!r}")
        old_body, new_body = (old_dir / a["body"]).read_bytes(), (new_dir / b["body"]).read_bytes()
        if old_body != new_body:
            problems.append("  body differs:\n" + _diff(old_body, new_body))
        for kind, before, after in zip(("miss", "hit"), a["queries"], b["queries"], strict=True):
            if after > before:
                problems.append(f"  queries on a cache {kind} rose: {before} -> {after}")
            elif after < before:
                fell.append(f"  {url}: queries on a cache {kind} fell: {before} -> {after}")
        if problems:
            failures += 1
            print(url, *problems, sep="\n")
    if fell:
        print("Query counts that fell (fine):", *fell, sep="\n")
    print(f"{failures} of {len(new)} URLs differ" if failures else f"{len(new)} URLs identical")
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("prepare", "snapshot"):
        command = commands.add_parser(name)
        command.add_argument("--checkout", type=Path, default=Path.cwd(), help="a rightsnet tree")
        command.add_argument("--database", "--database-url", required=True, help="path or URL")
    commands.choices["snapshot"].add_argument("--out", type=Path, required=True)
    command = commands.add_parser("compare")
    command.add_argument("old", type=Path)
    command.add_argument("new", type=Path)
    args = parser.parse_args(argv)
    if args.command == "prepare":
        prepare(args.checkout.resolve(), args.database)
    elif args.command == "snapshot":
        snapshot(args.checkout, args.database, args.out.resolve())
    else:
        return compare(args.old, args.new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
