"""The language-independent columns of the exports (issue 15): codes beside the labels,
the same in a Russian and an English file, and nothing of a draft in them."""

import csv
import io
import json

import pytest
from django.http import QueryDict

from directory import columns, exports
from directory.listings import ORGANIZATIONS
from directory.models import Organization
from tests.factories import ActivityTypeFactory, OrganizationFactory, RegionFactory

pytestmark = pytest.mark.django_db


def export(client, lang: str, fmt: str, query: str = ""):
    body = b"".join(client.get(f"/{lang}/organizations/export.{fmt}{query}").streaming_content)
    if fmt == "json":
        return json.loads(body)
    header, *rows = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def family():
    """A network: a parent with two branches, partners published and draft."""
    region = RegionFactory(name_ru="Пермский край", name_en="Perm Krai", slug="perm-krai")
    work = ActivityTypeFactory(name_ru="Мониторинг", name_en="Monitoring", slug="monitoring")
    law = ActivityTypeFactory(name_ru="Правовая помощь", name_en="Legal aid", slug="legal-aid")
    parent = OrganizationFactory(
        name_en="Parent Network", name_ru="Сеть", slug="parent-network", region=region
    )
    draft_parent = OrganizationFactory(
        name_en="Draft Parent", slug="draft-parent", is_published=False
    )
    branch = OrganizationFactory(
        name_en="Branch One",
        name_ru="Отделение",
        slug="branch-one",
        parent=parent,
        region=region,
        kind=Organization.Kind.NGO,
        short_name_ru="Отд.",
        short_name_en="",
        description_ru="Описание",
        description_en="A description",
    )
    branch.activities.set([work, law])
    orphan = OrganizationFactory(name_en="Orphan", slug="orphan", parent=draft_parent)
    partner = OrganizationFactory(name_en="Partner", slug="a-partner")
    hidden = OrganizationFactory(
        name_en="Hidden Partner", slug="hidden-partner", is_published=False
    )
    branch.partners.set([partner, hidden, parent])
    return {"parent": parent, "branch": branch, "orphan": orphan, "partner": partner}


CODES = ("slug", "kind_code", "status_code", "region_slug", "activity_slugs", "designation_codes",
         "parent_slug", "partner_slugs")  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_codes_are_the_same_in_both_languages_and_name_no_draft(client, family, fmt):
    files = {lang: {row["slug"]: row for row in export(client, lang, fmt)} for lang in ("ru", "en")}

    assert set(files["ru"]) == {"parent-network", "branch-one", "orphan", "a-partner"}
    for slug in files["ru"]:
        assert {k: files["ru"][slug][k] for k in CODES} == {k: files["en"][slug][k] for k in CODES}
    branch = files["en"]["branch-one"]
    many = (lambda values: values) if fmt == "json" else (lambda values: "; ".join(values))
    assert branch["kind_code"] == "ngo" and branch["status_code"] == "active"
    assert branch["region_slug"] == "perm-krai"
    assert branch["activity_slugs"] == many(["legal-aid", "monitoring"])
    assert branch["parent_slug"] == "parent-network"
    # The draft partner is left out; the others in the order of their slugs.
    assert branch["partner_slugs"] == many(["a-partner", "parent-network"])
    # Partners are mutual.
    assert files["en"]["a-partner"]["partner_slugs"] == many(["branch-one"])
    # A draft parent is not named.
    assert files["en"]["orphan"]["parent_slug"] == ""
    # Texts in the file's language, else in the other one.
    assert (branch["short_name"], branch["description"]) == ("Отд.", "A description")
    ru = files["ru"]["branch-one"]
    assert (ru["short_name"], ru["description"]) == ("Отд.", "Описание")
    # The labels beside the codes follow the language.
    assert (ru["kind"], branch["kind"]) != (branch["kind"], branch["kind"])


def test_the_fast_reader_gives_the_codes_of_the_plain_one(family):
    """The PostgreSQL COPY (or SQLite's chunks) against model instances, for the codes."""
    for lang in ("ru", "en"):
        ctx = columns.ExportContext(lang=lang, base_url="http://testserver/", public=True)
        result = ORGANIZATIONS.search(QueryDict(), lang)
        fast = list(exports.organization_rows(result, ctx, chunk_size=2))
        instances = {o.pk: o for o in columns.export_queryset(Organization.objects.all())}
        plain = [columns.organization_row(instances[row["id"]], ctx) for row in fast]
        assert fast == plain
        assert any(row["partner_slugs"] for row in fast)


def test_the_header_is_the_keys_in_both_languages(client, family):
    for lang in ("ru", "en"):
        body = b"".join(client.get(f"/{lang}/organizations/export.csv").streaming_content)
        header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert header == list(columns.COLUMNS)
