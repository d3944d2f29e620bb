"""The data package (/{lang}/data/datapackage.json) validates with the ``frictionless``
library, reading the real CSV files over HTTP from a live server: the package, every
resource's schema against its rows, the primary and the foreign keys, on data with
awkward rows (tests/opendata/awkward.py).

How the schema copes with the CSV apostrophe rule: a text cell that begins with =, +, -
or @ is written with a leading apostrophe. Only unconstrained text columns (names,
addresses, phones) can hold such values; the package says so in their descriptions.
An email address that begins with "+" keeps a valid format with it (the apostrophe is
allowed in an address). Codes, dates, numbers and web addresses never begin with
those characters, so no type or pattern is broken: the tests below show both.
"""

import copy
import json
import urllib.request

import pytest
import requests
from django.urls import reverse
from django.utils import translation
from frictionless import Package, Resource, system
from frictionless import settings as frictionless_settings

from listing import columns
from opendata.datapackage import field
from opendata.lists import DATA_LISTS
from tests.factories import RegionFactory
from tests.opendata.awkward import (
    FORMULA_NAME,
    FORMULA_NAME_EN,
    KYIV_POSTAL_CODE,
    PLUS_EMAIL,
    PLUS_PHONE,
    TWO_LINE_ADDRESS_RU,
    add_awkward,
)

LANGUAGES = ("ru", "en")


def errors_of(report) -> list[str]:
    return [error.message for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors
    ]


@pytest.fixture
def awkward_world(live_world):
    return live_world, add_awkward(live_world)


@pytest.fixture(autouse=True)
def _http_session():
    """frictionless reads over HTTP with a session of its own, closed after each test:
    the live server's keep-alive connections end with it, and each request thread
    then closes its database connection (else the test database could not be dropped)."""
    session = requests.Session()
    session.headers.update(frictionless_settings.DEFAULT_HTTP_HEADERS)
    with system.use_context(http_session=session):
        yield
    session.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_package_and_its_files_validate(live_server, awkward_world, lang):
    world, awkward = awkward_world
    url = f"{live_server.url}/{lang}/data/datapackage.json"
    package = Package(url)
    report = package.validate()
    assert report.valid, errors_of(report)
    names = [resource.name for resource in package.resources]
    assert names == [
        "organizations",
        "people",
        "publications",
        "practices",
        "regions",
        "activities",
    ]
    # Every row was read and checked: the report's row counts are the lists'.
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows["organizations"] == 8 and rows["people"] == 1 and rows["publications"] == 2

    organizations = {row["slug"]: row for row in package.get_resource("organizations").read_rows()}
    cyrillic = organizations[awkward.cyrillic.slug]
    assert cyrillic["postal_code"] == KYIV_POSTAL_CODE  # a string, leading zero kept
    assert cyrillic["name_en"] is None and cyrillic["name"] == awkward.cyrillic.name_ru
    if lang == "ru":
        assert cyrillic["address"] == TWO_LINE_ADDRESS_RU
    formula = organizations[awkward.formula.slug]
    # The apostrophe rule: in the CSV, the value with its leading apostrophe.
    assert formula["name"] == "'" + (FORMULA_NAME if lang == "ru" else FORMULA_NAME_EN)
    assert formula["phones"] == PLUS_PHONE  # a plain telephone number has none
    assert formula["email"] == "'" + PLUS_EMAIL
    assert formula["partner_slugs"] == "; ".join(sorted([world.org.slug, awkward.cyrillic.slug]))
    assert formula["founded"] == 1989 and formula["demo"] is False
    assert organizations[awkward.branch.slug]["parent_slug"] == world.org.slug


def test_the_foreign_keys_are_checked(live_server, awkward_world):
    """A package whose key points at the wrong vocabulary is reported invalid: the keys
    that validate above are really checked, row by row."""
    with translation.override("en"):
        path = reverse("opendata:datapackage")
    with urllib.request.urlopen(live_server.url + path) as reply:
        descriptor = json.load(reply)
    wrong = copy.deepcopy(descriptor)
    organizations = wrong["resources"][0]
    organizations["schema"]["foreignKeys"][0]["reference"]["resource"] = "activities"
    report = Package(wrong).validate()
    assert not report.valid
    assert {error.type for task in report.tasks for error in task.errors} == {"foreign-key"}


def test_the_schemas_follow_the_column_specs(client, world):
    """The package's fields are the export's columns, in order, typed by ``Column.type``."""
    for lang in LANGUAGES:
        with translation.override(lang):
            descriptor = json.loads(client.get(reverse("opendata:datapackage")).content)
        assert descriptor["profile"] == "tabular-data-package"
        assert descriptor["licenses"] == [
            {"title": "CC BY 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
        ]
        resources = {resource["name"]: resource for resource in descriptor["resources"]}
        for data_list in DATA_LISTS:
            resource = resources[data_list.name]
            with translation.override(lang):
                expected = reverse(data_list.export_url_name, kwargs={"format": "csv"})
            assert resource["path"] == "http://testserver" + expected
            assert resource["dialect"]["lineTerminator"] == "\r\n"
            schema = resource["schema"]
            assert [f["name"] for f in schema["fields"]] == [c.key for c in data_list.columns]
            assert schema["primaryKey"] == ["id"]
        fields = {f["name"]: f for f in resources["organizations"]["schema"]["fields"]}
        assert fields["postal_code"]["type"] == "string"
        assert fields["founded"]["type"] == "year"
        assert fields["id"]["type"] == "integer"
        assert fields["demo"] | {"trueValues": ["1"], "falseValues": ["0"]} == fields["demo"]
        assert fields["kind_code"]["constraints"]["enum"] == [
            "group", "ngo", "commission", "international", "network"
        ]  # fmt: skip
        assert fields["status_since"]["constraints"]["pattern"]
        assert fields["website"]["format"] == "uri" and fields["email"]["format"] == "email"
        assert fields["phones"]["type"] == "string"
        keys = resources["organizations"]["schema"]["foreignKeys"]
        assert keys == [
            {"fields": "region_slug", "reference": {"resource": "regions", "fields": "slug"}},
            {"fields": "parent_slug", "reference": {"resource": "", "fields": "slug"}},
        ]
        assert resources["publications"]["schema"]["foreignKeys"] == [
            {
                "fields": "publisher_slug",
                "reference": {"resource": "organizations", "fields": "slug"},
            }
        ]
        # Described in the page's language.
        assert fields["founded"]["description"] == (
            "Год основания организации."
            if lang == "ru"
            else "The year the organization was founded."
        )


def test_several_codes_in_one_cell_match_their_pattern(tmp_path):
    designations = next(
        c for c in DATA_LISTS[0].columns if c.key == "designation_codes"
    )  # many, with codes
    schema = {"fields": [{"name": "id", "type": "integer"}, field(designations)]}
    (tmp_path / "d.csv").write_text(
        "id,designation_codes\r\n1,foreign_agent\r\n2,foreign_agent; undesirable\r\n3,\r\n",
        encoding="utf-8",
    )
    good = Resource({"name": "d", "path": "d.csv", "schema": schema}, basepath=str(tmp_path))
    assert good.validate().valid
    (tmp_path / "d.csv").write_text(
        "id,designation_codes\r\n1,foreign_agent;undesirable\r\n2,spy\r\n", encoding="utf-8"
    )
    bad = Resource({"name": "d", "path": "d.csv", "schema": schema}, basepath=str(tmp_path))
    assert len(bad.validate().tasks[0].errors) == 2


def test_every_column_type_has_a_field():
    for data_list in DATA_LISTS:
        for column in data_list.columns:
            described = field(column)
            assert described["type"] in ("integer", "year", "string", "boolean", "date", "datetime")
    # Every type a column can have is described (a new type needs its field).
    for kind in columns.TYPES:
        assert field(columns.Column("x", "x", kind, "x"))["type"]


def test_the_package_is_conditional_like_the_exports(client, db):
    first = client.get("/en/data/datapackage.json")
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"') and first.has_header("Cache-Control")
    again = client.get("/en/data/datapackage.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    RegionFactory(name_en="A new region")  # a write: the package may have changed
    after = client.get("/en/data/datapackage.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
