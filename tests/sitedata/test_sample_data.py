"""The real sample data of the seeds and its idempotent loader."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from modeltranslation.translator import translator

from directory.dates import PartialDate, Precision
from directory.models import (
    ActivityType,
    Affiliation,
    Organization,
    Person,
    Phone,
    Region,
    Source,
)
from publications.models import Publication, Series
from sitedata.services import load_sample_data, rebuild_derived_fields, sample_data_paths
from tests.factories import OrganizationFactory, PublicationFactory, RegionFactory

pytestmark = pytest.mark.django_db

MODELS = (Region, ActivityType, Organization, Phone, Person, Affiliation, Series, Publication)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def sample():
    return load_sample_data()


def test_loading_twice_duplicates_and_changes_nothing(sample):
    first = counts()
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}

    again = load_sample_data()

    assert counts() == first
    assert again.created_total == 0
    assert again.existing_total == sample.created_total
    assert again.derived.total == 0
    assert {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS} == rows
    assert Organization.objects.get(slug="moscow-helsinki-group").phones.count() == 3


def test_the_command_loads_once_and_reports_it(capsys):
    call_command("load_sample_data")
    loaded = counts()
    assert loaded["Organization"] == 7
    call_command("load_sample_data")
    assert counts() == loaded
    out = capsys.readouterr().out
    assert "0 rows inserted" in out.splitlines()[-1]


def test_the_moscow_helsinki_group_as_the_seed_gives_it(sample):
    mhg = Organization.objects.get(slug="moscow-helsinki-group")
    assert (mhg.name_en, mhg.name_ru) == ("Moscow Helsinki Group", "Московская Хельсинкская группа")
    assert mhg.kind == Organization.Kind.GROUP
    assert mhg.founded == 1976
    assert mhg.postal_code == "101000"
    assert mhg.address_en == "B. Zlatoustinskii per. 8/7, kom. 93"
    assert mhg.address_ru == "Б. Златоустинский пер., 8/7, ком. 93"
    assert [(p.kind, p.number) for p in mhg.phones.order_by("pk")] == [
        ("tel", "095-206-81-71"),
        ("tel", "095-206-85-07"),
        ("fax", "095-921-12-09"),
    ]
    # Liquidated by the Moscow City Court on 25 January 2023 (a cited report); the
    # contacts are the seed's, as of January 1997 (its "Last updated"), not a check of ours.
    assert mhg.status == Organization.Status.CLOSED
    assert mhg.status_since_date == PartialDate(datetime.date(2023, 1, 25), Precision.DAY)
    assert mhg.contacts_date == PartialDate(datetime.date(1997, 1, 1), Precision.MONTH)
    assert mhg.last_verified is None
    assert mhg.is_published and mhg.contacts_public
    assert mhg.region.slug == "moscow"
    assert [r.slug for r in mhg.region.ancestors()] == ["russia", "central-russia"]
    assert "oldest human rights organization in Russia" in mhg.description_en
    assert "старейшая правозащитная организация России" in mhg.description_ru
    assert {a.slug for a in mhg.activities.all()} == {"legal-education", "networking", "monitoring"}


def test_the_other_organizations_of_the_seeds(sample):
    kinds = dict(Organization.objects.values_list("slug", "kind"))
    assert kinds == {
        "moscow-helsinki-group": "group",
        "eurasian-human-rights-group": "group",
        "human-rights-watch": "international",
        "amnesty-international": "international",
        "fidh": "international",
        "state-human-rights-council": "commission",
        "center-for-civil-society-international": "ngo",
    }
    eurasian = Organization.objects.get(slug="eurasian-human-rights-group")
    assert eurasian.status == Organization.Status.UNKNOWN
    assert eurasian.founded is None
    assert {a.slug for a in eurasian.activities.all()} == {"monitoring", "humanitarian-aid"}
    fidh = Organization.objects.get(slug="fidh")
    assert fidh.name_en == "International Federation for Human Rights"
    assert fidh.short_name_en == "FIDH"


def test_people_and_their_roles(sample):
    roles = {
        (a.person.name_en, a.organization.slug, a.role_en, a.role_ru)
        for a in Affiliation.objects.select_related("person", "organization")
    }
    assert roles == {
        (
            "Andrei Tsyurusin",
            "moscow-helsinki-group",
            "technical specialist",
            "технический специалист",
        ),
        (
            "Yana Lantratova",
            "state-human-rights-council",
            "executive secretary",
            "ответственный секретарь",
        ),
        ("Tanya Lokshina", "human-rights-watch", "senior researcher", "старший исследователь"),
    }
    assert Person.objects.published().count() == 3


def test_the_legal_culture_series_and_its_books(sample):
    series = Series.objects.get(slug="legal-culture")
    assert (series.name_en, series.name_ru) == ("Legal Culture", "Правовая культура")
    assert series.organization.slug == "moscow-helsinki-group"
    books = list(series.publications.filter(status=Publication.Status.PUBLISHED).order_by("pk"))
    assert [(b.title_en, b.year, b.pages) for b in books] == [
        (
            "The History, Philosophy, Principles and Methodology of Legal Defense Activities",
            1992,
            None,
        ),
        ("The Nationalities Problem and Human Rights", 1993, 256),
        ("Social Problems and Human Rights", 1993, 112),
        ("Individual Human Rights", 1993, 176),
        ("Judicial Defense of Human Rights", 1993, 240),
        ("The Right to Freedom of Movement", 1994, 224),
        ("Freedom of Speech and to the Means of Mass Communication", 1994, 210),
    ]
    for book in books:
        assert (book.city_en, book.city_ru, book.language) == ("Moscow", "Москва", "ru")
        assert book.publisher.slug == "moscow-helsinki-group"
        assert book.title_ru
    planned = series.publications.get(status=Publication.Status.PLANNED)
    assert planned.year == 1996
    assert planned.pages is None
    assert list(
        Publication.objects.get(slug="the-right-to-freedom-of-movement").topics.values_list(
            "slug", flat=True
        )
    ) == ["freedom-of-movement"]


def test_the_region_tree_holds_the_regions_the_seeds_name(sample):
    for slug in ("far-east", "western-siberia", "transcaucasia", "ukraine", "central-asia",
                 "chechnya", "moscow"):  # fmt: skip
        assert Region.objects.filter(slug=slug).exists(), slug
    oblast = Region.objects.get(slug="novosibirsk-oblast")
    assert [r.slug for r in oblast.ancestors()] == ["russia", "siberia", "western-siberia"]
    assert oblast.depth == 3
    georgia = Region.objects.get(slug="georgia")
    assert georgia.kind == Region.Kind.COUNTRY
    assert [r.slug for r in georgia.ancestors()] == ["transcaucasia"]
    russia = Region.objects.get(slug="russia")
    below_russia = set(russia.descendants().values_list("slug", flat=True))
    assert {"far-east", "chechnya", "moscow", "novosibirsk"} <= below_russia
    assert "ukraine" not in below_russia
    central_asia = Region.objects.get(slug="central-asia")
    assert {r.slug for r in central_asia.children.all()} == {
        "kazakhstan", "kyrgyzstan", "tajikistan", "turkmenistan", "uzbekistan",
    }  # fmt: skip


def test_every_translated_field_is_filled_in_both_languages():
    for path in sample_data_paths():
        for row in json.loads(path.read_text(encoding="utf-8")):
            model = Region._meta.apps.get_model(row["model"])
            if model not in translator.get_registered_models():
                continue
            for field in translator.get_options_for_model(model).fields:
                ru, en = row["fields"].get(f"{field}_ru"), row["fields"].get(f"{field}_en")
                where = f"{path.name} {row['model']} {row['pk']} {field}"
                assert bool(ru) == bool(en), where
                if field in ("name", "title"):
                    assert ru and en, where


def test_loaded_rows_get_their_derived_fields(sample):
    mhg = Organization.objects.get(slug="moscow-helsinki-group")
    assert "хельсинкская" in mhg.search_text and "helsinki" in mhg.search_text
    assert mhg.search_text == mhg.build_search_text()
    for person in Person.objects.all():
        assert person.search_text == person.build_search_text() != ""
    for publication in Publication.objects.all():
        assert publication.search_text == publication.build_search_text() != ""
    moscow = Region.objects.get(slug="moscow")
    assert moscow.path == "/{}/{}/{}/".format(
        Region.objects.get(slug="russia").pk,
        Region.objects.get(slug="central-russia").pk,
        moscow.pk,
    )


def test_rebuild_repairs_stale_paths_and_search_text_then_writes_nothing(sample):
    Region.objects.filter(slug="novosibirsk").update(path="/stale/", depth=9)
    Organization.objects.filter(slug="fidh").update(search_text="")
    result = rebuild_derived_fields()
    assert (result.regions, result.organizations) == (1, 1)
    assert Region.objects.get(slug="novosibirsk").depth == 4
    assert "fidh" in Organization.objects.get(slug="fidh").search_text
    assert rebuild_derived_fields().total == 0


def test_admin_edits_of_sample_rows_survive_a_reload(sample):
    Organization.objects.filter(slug="moscow-helsinki-group").update(email="mhg@example.org")
    Phone.objects.filter(number="095-921-12-09").delete()
    load_sample_data()
    mhg = Organization.objects.get(slug="moscow-helsinki-group")
    assert mhg.email == "mhg@example.org"
    # A deleted sample row comes back: the fixtures are the floor, not a snapshot.
    assert mhg.phones.count() == 3


def test_rows_made_after_loading_get_new_keys(sample):
    # On PostgreSQL the sequences must have moved past the fixtures' fixed keys.
    org = OrganizationFactory(region=Region.objects.get(slug="kyiv"))
    region = RegionFactory()
    publication = PublicationFactory()
    assert org.pk > 7 and region.pk > 69 and publication.pk > 8


def test_a_slug_taken_by_another_row_is_reported_and_the_rest_loads():
    PublicationFactory(id=500, title_en="Something else", slug="individual-human-rights")
    result = load_sample_data()
    assert len(result.conflicts) == 1
    assert "individual-human-rights" in result.conflicts[0]
    assert Publication.objects.filter(series__slug="legal-culture").count() == 7
    assert Organization.objects.filter(slug="moscow-helsinki-group").exists()


def test_a_key_taken_by_another_row_is_reported():
    PublicationFactory(id=1, title_en="Something else")
    result = load_sample_data()
    assert result.conflicts == [
        "publications.json: publications.publication 1 is taken by 'something-else'"
    ]
    assert Publication.objects.get(pk=1).title_en == "Something else"


def test_an_invalid_fixture_changes_nothing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            [
                {
                    "model": "directory.activitytype",
                    "pk": 900,
                    "fields": {"name_ru": "Пример", "name_en": "Example", "slug": "example"},
                },
                {
                    "model": "directory.organization",
                    "pk": 900,
                    "fields": {
                        "name_ru": "Плохая",
                        "name_en": "Bad",
                        "slug": "bad",
                        "kind": "party",
                        "status": "active",
                        "is_published": True,
                        "contacts_public": True,
                    },
                },
            ]  # fmt: skip
        ),
        encoding="utf-8",
    )
    before = counts()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_sample_data", str(bad))
    assert counts() == before
    with pytest.raises(CommandError, match="not found"):
        call_command("load_sample_data", str(tmp_path / "missing.json"))


def test_the_moscow_helsinki_group_timeline_is_sourced(sample):
    mhg = Organization.objects.get(slug="moscow-helsinki-group")
    timeline = [
        (e.kind, e.when.iso(), e.is_public, sorted(s.publisher_en for s in e.sources.all()))
        for e in mhg.events.order_by("date")
    ]
    assert timeline == [
        ("founded", "1976", True, ["Center for Civil Society International (CCSI)"]),
        ("liquidated", "2023-01-25", True, ["Associated Press (via KESQ)", "The Moscow Times"]),
    ]
    assert mhg.events.count() == 2  # no other real-world event without a source


def test_every_real_entry_cites_a_source_and_none_is_demo(sample):
    for model in (Organization, Person, Publication):
        for entry in model.objects.all():
            assert entry.sources.public().exists(), entry
            assert not entry.is_demo, entry
    seed = Source.objects.get(title_en="NIS Third Sector Organizations: Moscow Helsinki Group")
    assert seed.when.display("en") == "January 1997"
    article = Source.objects.get(url__contains="a55172")
    assert article.when.display("en") == "1 September 2016"
    cited = {o.slug for o in article.organizations.all()} | {p.slug for p in article.people.all()}
    assert {"eurasian-human-rights-group", "yana-lantratova", "tanya-lokshina"} <= cited


def test_the_council_has_its_official_name_and_the_seed_wording_as_an_alias(sample):
    council = Organization.objects.get(slug="state-human-rights-council")
    assert council.name_en == "Presidential Council for Civil Society and Human Rights"
    assert council.name_ru == (
        "Совет при Президенте Российской Федерации по развитию гражданского общества "
        "и правам человека"
    )
    assert "State Human Rights Council" in council.aliases.splitlines()
    lantratova = Person.objects.get(slug="yana-lantratova")
    assert lantratova.title_ru == "ответственный секретарь"
    assert "исполнительн" not in lantratova.biography_ru


def test_the_legal_culture_titles_are_marked_as_given_in_english(sample):
    books = Publication.objects.filter(series__slug="legal-culture", status="published")
    assert books.count() == 7
    assert {(b.title_language, b.original_title) for b in books} == {("en", "")}
