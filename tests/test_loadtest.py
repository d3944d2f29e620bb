"""The load test (scripts/loadtest.py): its mix, its reading of wrk, and a short real run."""

import importlib.util
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from directory.models import Organization, Person
from sitedata.generator import generate_directory

SCRIPT = settings.BASE_DIR / "scripts" / "loadtest.py"


def _import_script():
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["loadtest"] = module
    spec.loader.exec_module(module)
    return module


loadtest = _import_script()

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:18080
  1 threads and 4 connections
LOADTEST {"requests": 250, "duration_us": 2000000, "bytes": 9000000, "connect": 0, \
"read": 1, "write": 0, "status": 3, "timeout": 2, "p50_us": 25500, "p99_us": 91000, \
"max_us": 120000}
"""


@pytest.mark.django_db
def test_every_page_of_the_mix_answers_200_in_both_languages_and_no_draft_is_asked_for(client):
    generate_directory(orgs=40, seed=2, people=10, publications=6)
    drafts = [
        *Organization.objects.filter(is_published=False).values_list("slug", flat=True),
        *Person.objects.filter(is_published=False).values_list("slug", flat=True),
    ]
    assert drafts, "the generator should make some drafts for this test to mean anything"

    visits = loadtest.build_mix(loadtest.read_catalogue(connection), size=400)
    paths = sorted({loadtest.rightsnet_path(visit) for visit in visits})

    assert {visit.page for visit in visits} == set(loadtest.WEIGHTS)
    assert {path[:4] for path in paths} == {"/ru/", "/en/"}
    assert any("?q=" in path for path in paths)
    assert any("region=" in path and "activity=" in path for path in paths)
    practices = [path for path in paths if "/practices/" in path]
    assert any(path.endswith("/practices/") for path in practices)
    assert any("/practices/?q=" in path for path in practices)
    assert any("/practices/?region=" in path and "activity=" in path for path in practices)
    assert any("/practices/export.csv" in path for path in practices)
    statuses = {path: client.get(path).status_code for path in paths}
    assert {path: status for path, status in statuses.items() if status != 200} == {}
    assert [slug for slug in drafts if any(f"/{slug}/" in path for path in paths)] == []


def test_the_mix_keeps_the_proportions_of_the_page_types():
    catalogue = loadtest.Catalogue(
        organizations=(loadtest.Row(1, "a"), loadtest.Row(2, "b")),
        regions=(loadtest.Region(1, "russia", (1, 2)),),
        activities=(loadtest.Row(5, "monitoring"),),
        kinds=("group",),
        people=(loadtest.Row(7, "p"),),
        publications=(loadtest.Row(9, "q"),),
    )

    visits = loadtest.build_mix(catalogue, size=1000, seed=4)

    counts = {page: sum(visit.page == page for visit in visits) for page in loadtest.WEIGHTS}
    assert counts == {page: weight * 10 for page, weight in loadtest.WEIGHTS.items()}
    assert visits == loadtest.build_mix(catalogue, size=1000, seed=4)
    assert visits != loadtest.build_mix(catalogue, size=1000, seed=5)


def test_datasette_gets_the_nearest_page_of_each_type():
    region = loadtest.Region(3, "siberia", (3, 4, 9))
    activity = loadtest.Row(5, "monitoring")
    path = loadtest.datasette_path
    db = "loadtest"

    assert path(loadtest.Visit("home", "en"), db) == "/loadtest"
    assert path(loadtest.Visit("organization", row=loadtest.Row(12, "x")), db) == (
        "/loadtest/directory_organization/12"
    )
    assert path(loadtest.Visit("region", region=region), db) == "/loadtest/directory_region/3"
    listed = path(loadtest.Visit("list", region=region, activity=activity, kind="ngo"), db)
    assert listed.startswith("/loadtest/directory_organization?is_published=1&")
    assert "region_id__in=3%2C4%2C9" in listed
    assert "activitytype_id%20%3D%205%29" in listed  # "_where=... activitytype_id = 5)"
    assert "&kind=ngo&" in listed
    assert listed.endswith("&_facet=region_id&_facet=kind&_facet=status")
    assert path(loadtest.Visit("practices", export=True), db) == (
        "/loadtest/directory_practice.csv?is_published=1"
    )
    searched = path(loadtest.Visit("search", word="права"), db)
    assert "&_search=%D0%BF%D1%80%D0%B0%D0%B2%D0%B0&" in searched


def test_wrk_results_are_read_with_every_kind_of_error_counted():
    result = loadtest.parse_wrk(WRK_OUTPUT)

    assert (result.requests, result.rps, result.p50_ms, result.p99_ms) == (250, 125, 25.5, 91)
    assert result.errors == 6
    with pytest.raises(loadtest.LoadTestError, match="no result line"):
        loadtest.parse_wrk("unable to connect to 127.0.0.1:18080 Connection refused\n")


def test_the_server_cpu_counts_the_backends_of_its_postgresql_database_only():
    title = loadtest.backend_database

    assert title("postgres: 15/main: postgres rn_loadtest 127.0.0.1(5432) idle") == "rn_loadtest"
    assert title("postgres: postgres rn_loadtest 127.0.0.1(5432) SELECT") == "rn_loadtest"
    assert title("postgres: 15/main: checkpointer   ") is None
    assert title("postgres: autovacuum launcher") is None
    assert title("/usr/bin/python\0-m\0gunicorn\0") is None


def test_the_report_prints_rightsnet_beside_datasette_as_ratios():
    def phase(database, server, rps, p50, cores):
        result = loadtest.Result(rps * 10, seconds=10, p50_ms=p50, p99_ms=p50 * 3, errors=0)
        result.server_cpu = cores
        return loadtest.Phase(database, server, 16, result)

    text = loadtest.report(
        [
            phase("SQLite", "rightsnet", 300, 40, 1.5),
            phase("SQLite", "Datasette", 100, 160, 1.0),
            phase("PostgreSQL", "rightsnet", 150, 80, 1.0),
        ]
    )

    rows = [line for line in text.splitlines() if line.startswith("| 16 ")]
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert cells == [
        "16", "100.0",
        "300.0", "3.00", "4.00", "2.00",
        "150.0", "1.50", "2.00", "1.50",
    ]  # fmt: skip
    datasette_row = next(line for line in text.splitlines() if "| Datasette |" in line)
    assert "| 1000 " in datasette_row and "| 100.0 " in datasette_row


def table_row(output: str, database: str) -> dict[str, str]:
    lines = [line for line in output.splitlines() if line.startswith("| database ")]
    assert lines, f"no results table in:\n{output}"
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[:2] == [database, "rightsnet"]:
            return dict(zip(header, cells, strict=True))
    raise AssertionError(f"no {database} row in:\n{output}")


def test_a_short_run_serves_the_mix_with_no_error_and_drops_its_database():
    """About 15 s: 50 organizations, 2 s at 4 connections, on the database of this run."""
    postgres = connection.vendor == "postgresql"
    name = "loadtest_pytest"
    database = (
        loadtest.postgres_database(os.environ["DATABASE_URL"], name)
        if postgres
        else loadtest.sqlite_database(name)
    )
    command = [
        sys.executable, str(SCRIPT), "--orgs", "50", "--seconds", "2", "--warmup", "1",
        "--connections", "4", "--no-datasette", "--port", "18650", "--name", name,
        "--databases", "postgresql" if postgres else "sqlite",
    ]  # fmt: skip

    completed = subprocess.run(command, capture_output=True, text=True, timeout=300)

    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    row = table_row(completed.stdout, "PostgreSQL" if postgres else "SQLite")
    assert row["connections"] == "4"
    assert int(row["requests"]) >= 5, output
    assert row["errors"] == "0", output
    assert not database.exists()
