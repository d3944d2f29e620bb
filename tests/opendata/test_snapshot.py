"""``manage.py build_snapshot``: the dated zip of the whole public directory, equal to
the downloads, valid as a data package with relative paths, safe from cron (atomic,
locked, pruned, clear exit codes); and the data page's link to the latest one."""

import datetime
import fcntl
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from frictionless import Package

from opendata import snapshot
from opendata.lists import DATA_LISTS
from tests.html import page
from tests.opendata.awkward import add_awkward

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def folder(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    return settings.SNAPSHOT_DIR


def build(_folder, **options) -> str:
    out = io.StringIO()
    call_command("build_snapshot", f"--site-url={SITE}", stdout=out, **options)
    return out.getvalue()


def test_the_snapshot_holds_every_list_as_downloaded(client, world, folder):
    add_awkward(world)
    output = build(folder)
    name = f"rightsnet-{timezone.localdate().isoformat()}.zip"
    assert str(folder / name) in output
    with zipfile.ZipFile(folder / name) as archive:
        names = set(archive.namelist())
        expected = {
            f"{lang}/{data_list.name}.{fmt}"
            for lang in ("ru", "en")
            for data_list in DATA_LISTS
            for fmt in snapshot.SNAPSHOT_FORMATS
        }
        assert names == expected | {
            "regions.csv", "activities.csv", "datapackage.json", "README.md"
        }  # fmt: skip
        # Byte for byte the site's unfiltered downloads of the same moment.
        for lang in ("ru", "en"):
            for data_list in DATA_LISTS:
                with translation.override(lang):
                    url = reverse(data_list.export_url_name, kwargs={"format": "csv"})
                download = b"".join(client.get(url).streaming_content)
                assert archive.read(f"{lang}/{data_list.name}.csv") == download, url
        assert archive.read("regions.csv") == client.get("/ru/data/regions.csv").content
        readme = archive.read("README.md").decode()
    today = timezone.localdate()
    assert f"rightsnet: архив на {today.isoformat()}" in readme
    assert f"rightsnet: snapshot of {today.isoformat()}" in readme
    assert "Лицензия: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)" in readme
    assert "Licence: CC BY 4.0" in readme
    assert f"(дата обращения: {today:%d.%m.%Y})" in readme and f"accessed {today}" in readme
    assert "`ru/organizations.csv` (8 строк)" in readme
    assert "`en/people.csv` (1 row)" in readme


def test_the_snapshot_is_a_valid_data_package(world, folder, tmp_path):
    add_awkward(world)
    build(folder)
    (path,) = snapshot.snapshots(folder)
    target = tmp_path / "unzipped"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(target)
    package = Package(str(target / "datapackage.json"))
    # Relative paths inside the zip, both languages as resources of their own.
    assert [resource.path for resource in package.resources][:2] == [
        "ru/organizations.csv",
        "ru/people.csv",
    ]
    assert "organizations_en" in [resource.name for resource in package.resources]
    report = package.validate()
    assert report.valid, [e.message for task in report.tasks for e in task.errors]
    assert {task.name: task.stats["rows"] for task in report.tasks}["organizations_en"] == 8


def test_a_failed_build_leaves_the_previous_snapshot_and_no_partial_file(
    world, folder, monkeypatch
):
    build(folder, keep=0)
    (previous,) = snapshot.snapshots(folder)
    before = previous.read_bytes()

    def fail(archive, **kwargs):
        archive.writestr("ru/organizations.csv", b"half a file")
        raise RuntimeError("the database went away")

    monkeypatch.setattr(snapshot, "write", fail)
    with pytest.raises(RuntimeError):
        build(folder)
    assert snapshot.snapshots(folder) == [previous]
    assert previous.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [snapshot.LOCK_NAME, previous.name]


def test_a_second_run_while_one_builds_stops_at_once(world, folder):
    folder.mkdir(parents=True)
    with open(folder / snapshot.LOCK_NAME, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(CommandError, match="another build_snapshot is running") as raised:
            build(folder)
        assert raised.value.returncode == 75
    assert snapshot.snapshots(folder) == []
    build(folder)  # the lock let go, a run goes through
    assert len(snapshot.snapshots(folder)) == 1


def test_old_snapshots_are_pruned_and_leftovers_of_a_killed_run_removed(world, folder):
    folder.mkdir(parents=True)
    for day in range(1, 5):
        (folder / f"rightsnet-2020-01-0{day}.zip").write_bytes(b"old")
    (folder / f"{snapshot.TEMP_PREFIX}abc.zip").write_bytes(b"killed midway")
    (folder / "notes.txt").write_text("not ours")
    build(folder, keep=2)
    names = sorted(p.name for p in folder.iterdir())
    today = timezone.localdate().isoformat()
    assert names == [
        snapshot.LOCK_NAME, "notes.txt", "rightsnet-2020-01-04.zip", f"rightsnet-{today}.zip"
    ]  # fmt: skip


def test_the_command_says_what_is_wrong(world, folder, settings):
    settings.RIGHTSNET_SITE_URL = ""
    with pytest.raises(CommandError, match="RIGHTSNET_SITE_URL"):
        call_command("build_snapshot")
    with pytest.raises(CommandError, match="--keep"):
        build(folder, keep=-1)
    blocked = folder.parent / "a-file"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(CommandError, match="could not be written"):
        build(folder, folder=str(blocked / "snapshots"))


def test_the_data_page_links_the_latest_snapshot(client, world, folder):
    for lang in ("ru", "en"):
        with translation.override(lang):
            url = reverse("opendata:latest_snapshot")
        missing = client.get(url)
        assert missing.status_code == 404
        text = page(missing).find("main").text
        assert ("Архива пока нет" if lang == "ru" else "No snapshot yet") in text
    folder.mkdir(parents=True)
    (folder / "rightsnet-2020-01-01.zip").write_bytes(b"old")
    build(folder)
    newest = snapshot.latest(folder)
    assert newest.name == f"rightsnet-{timezone.localdate().isoformat()}.zip"
    response = client.get("/en/data/snapshot/latest.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="{newest.name}"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == newest.read_bytes()
    data = page(client.get("/ru/data/"))
    link = next(a for a in data.find_all("a") if a["href"] == "/ru/data/snapshot/latest.zip")
    assert "Последний полный архив" in link.text
    assert newest.name in data.find("ul", class_="data-downloads").text


def test_snapshot_day_names_sort_by_date(folder):
    assert snapshot.snapshot_name(datetime.date(2026, 11, 30)) == "rightsnet-2026-11-30.zip"
    assert snapshot.latest(folder) is None  # no folder yet: none, no error
