"""Two app servers behind one load balancer share everything they need.

Two production gunicorn instances on different ports use the same database (a
throwaway PostgreSQL database on PostgreSQL runs, a temporary SQLite file otherwise)
and the same Redis cache. A staff member previews an import on one and confirms it
on the other; an edit saved through one is on the other's public pages at once,
facet counts included.
"""

import csv
import io
import os
import re
import secrets
import uuid
from html import unescape
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from psycopg import sql

from directory import columns
from tests.servers import (
    AppServer,
    Browser,
    deploy_copy,
    form_fields,
    manage,
    production_env,
    redis_url,
)
from tests.staff import PASSWORD

ADMIN = "admin/"
SETUP = """
from tests.factories import OrganizationFactory, RegionFactory
from tests.staff import staff_user

staff_user("editor", group="Editors")
perm = RegionFactory(name_en="Perm Krai", name_ru="Пермский край")
memorial = OrganizationFactory(
    name_en="Perm Memorial", name_ru="Пермский Мемориал", kind="group", region=perm,
    is_published=True,
)
OrganizationFactory(
    name_en="Perm Civic Chamber", name_ru="Пермская гражданская палата", kind="ngo",
    region=perm, is_published=True,
)
print("created", memorial.pk, memorial.get_absolute_url())
"""


@pytest.fixture
def shared_database(tmp_path):
    """The URL of an empty database for both instances, of the kind this run uses."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_instances_{secrets.token_hex(4)}"[:63]
    admin = psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    )
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield url.rsplit("/", 1)[0] + "/" + name
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def facet_counts(html: str, facet: str) -> dict[str, int]:
    """Each option's label and count in one facet of a list page, as a reader sees them."""
    match = re.search(rf'<fieldset class="facet" id="facet-{facet}">(.*?)</fieldset>', html, re.S)
    assert match, f"no {facet} facet on the page"
    counts = {}
    for item in re.findall(r"<li[^>]*>(.*?)</li>", match.group(1), re.S):
        count = re.search(r'<span class="facet-count">(\d+)</span>', item)
        label = re.sub(r"<[^>]+>", "", item.split('<span class="facet-count">')[0])
        counts[unescape(label).strip()] = int(count.group(1)) if count else 0
    return counts


def import_csv() -> bytes:
    headers = columns.headers("en")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers[:6])
    writer.writerow(["", "", "Новая группа", "Perm Youth Group", "related NGO", "Perm Krai"])
    return out.getvalue().encode()


def test_two_instances_share_imports_edits_and_cached_counts(
    shared_database, static_root, tmp_path: Path
):
    env = production_env(
        shared_database,
        REDIS_URL=redis_url(),
        # A prefix of its own, so nothing another run left in this Redis database counts.
        DJANGO_CACHE_PREFIX=f"rightsnet-test-{uuid.uuid4().hex}",
        DJANGO_STATIC_ROOT=str(static_root),
    )
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    output = manage(env, "shell", "-c", SETUP)
    pk, detail = re.search(r"^created (\d+) (\S+)$", output, re.M).groups()
    # Each instance runs from its own copy of the project, as on its own machine.
    a_disk, b_disk = deploy_copy(tmp_path / "a"), deploy_copy(tmp_path / "b")
    with (
        AppServer(env, tmp_path, "A", project=a_disk) as a,
        AppServer(env, tmp_path, "B", project=b_disk) as b,
    ):
        browser = Browser(language="en")
        browser.log_in(a, ADMIN, "editor", PASSWORD)
        # One session for both: B knows the login made on A.
        assert browser.get(f"{b.url}/{ADMIN}").status == 200

        # Preview on A, confirm on B.
        import_url = f"/{ADMIN}directory/organization/import/"
        assert browser.get(a.url + import_url).status == 200
        preview = browser.post(a.url + import_url, {}, files={"file": ("perm.csv", import_csv())})
        assert 'id="import-confirm"' in preview.text, _notes(preview)
        token = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
        confirmed = browser.post(b.url + import_url, {"token": token, "confirm": "1"})
        assert confirmed.status == 302, f"confirming on B: {_notes(confirmed)}"
        changelist = browser.get(b.url + confirmed.header("Location"))
        assert "Import done: 1 new, 0 changed" in changelist.text
        assert "Perm Youth Group" in browser.get(f"{a.url}/{ADMIN}directory/organization/").text

        # B's public pages, read (and cached) before the edit.
        detail = b.url + detail.replace("/ru/", "/en/", 1)
        counts = facet_counts(browser.get(f"{b.url}/en/organizations/").text, "kind")
        assert (counts["human rights group"], counts["related NGO"]) == (1, 1)
        page = browser.get(detail)
        assert page.status == 200
        assert "Perm Memorial" in page.text and "human rights group" in page.text

        # An edit saved through A's admin...
        change_url = f"{a.url}/{ADMIN}directory/organization/{pk}/change/"
        fields = form_fields(browser.get(change_url).text, "organization_form")
        assert ("kind", "group") in fields
        edit = {"kind": "ngo", "name_en": "Perm Memorial Society"}
        fields = [(name, edit.get(name, value)) for name, value in fields] + [("_save", "Save")]
        saved = browser.post(change_url, fields)
        assert saved.status == 302, f"saving on A: {_notes(saved)}"

        # ...is on B's pages at once: the page itself and the counts beside the list.
        page = browser.get(detail)
        assert "Perm Memorial Society" in page.text
        assert "human rights group" not in page.text
        counts = facet_counts(browser.get(f"{b.url}/en/organizations/").text, "kind")
        assert counts["related NGO"] == 2
        assert counts.get("human rights group", 0) == 0


def _notes(response) -> str:
    """The status and the error notes a staff member would read on an admin page."""
    found = re.findall(
        r'class="(?:errornote|errorlist)[^"]*"[^>]*>(.*?)</(?:p|ul)>', response.text, re.S
    )
    notes = " | ".join(unescape(re.sub(r"<[^>]+>", " ", item)).strip() for item in found)
    return f"HTTP {response.status}: {notes or 'no error shown'}"
