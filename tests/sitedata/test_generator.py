"""The demo directory generator and its command."""

import json
from difflib import SequenceMatcher
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.duplicates import SIMILARITY_THRESHOLD, name_similarity
from directory.events import derive
from directory.models import (
    Affiliation,
    Organization,
    OrganizationEvent,
    Person,
    Phone,
    Practice,
    Region,
)
from publications.models import Publication
from rightsnet.text import fold_latin, has_cyrillic
from sitedata.generator import TOWNS, clear_synthetic, generate_directory
from sitedata.services import rebuild_derived_fields, sample_data_paths
from tests.factories import OrganizationFactory, PublicationFactory

pytestmark = pytest.mark.django_db

EXAMPLE_DOMAINS = {"example.org", "example.net", "example.com"}
# The real organizations, people and publications the seeds name (/work/shared/seeds),
# in the languages they are known in; the fixtures add their own names below.
SEED_NAMES = (
    "Moscow Helsinki Group", "Московская Хельсинкская группа",
    "Eurasian Human Rights Group", "Евразийская правозащитная группа",
    "Human Rights Watch", "HRW", "Amnesty International",
    "International Federation for Human Rights", "FIDH",
    "Commonwealth of Independent States", "Содружество Независимых Государств", "SNG",
    "Eurasian Economic Union", "Евразийский экономический союз",
    "United Nations", "Организация Объединённых Наций",
    "State Human Rights Council", "The Moscow Times", "Izvestia", "Известия",
    "Center for Civil Society International", "CCSI", "University of Washington Press",
    "The Post-Soviet Handbook", "Legal Culture", "Правовая культура",
    "Andrei Tsyurusin", "Андрей Цюрусин", "Yana Lantratova", "Яна Лантратова",
    "Tanya Lokshina", "Татьяна Локшина",
)  # fmt: skip
NAME_FIELDS = ("name", "short_name", "title", "original_title", "former_name", "aliases")


def demo(model):
    return model.objects.filter(is_demo=True)


def fixture_rows() -> list[dict]:
    rows = []
    for path in sample_data_paths():
        rows += json.loads(path.read_text(encoding="utf-8"))
    return rows


def real_names() -> set[str]:
    """Every name of the fixtures (in any language, aliases one per line) and the seeds."""
    names = set(SEED_NAMES)
    for row in fixture_rows():
        for field, value in row["fields"].items():
            if field.removesuffix("_ru").removesuffix("_en") in NAME_FIELDS and value:
                names.update(line.strip() for line in str(value).splitlines() if line.strip())
    return names


def resembling(generated: set[str], real: set[str]) -> list[tuple[str, str, float]]:
    """Pairs the duplicate check would call the same or very similar names.

    Measured by ``directory.duplicates.name_similarity`` on the folded names. Pairs
    whose ``SequenceMatcher`` upper bounds (``real_quick_ratio``, ``quick_ratio``) are
    already below the threshold cannot reach it and are not measured: thousands of
    names against every real one would otherwise take a minute.
    """
    real_folded = {fold_latin(name) for name in real}
    found = []
    for name in generated:
        folded = fold_latin(name)
        for other in real_folded:
            bounds = SequenceMatcher(None, folded, other)
            if bounds.real_quick_ratio() < SIMILARITY_THRESHOLD:
                continue
            if bounds.quick_ratio() < SIMILARITY_THRESHOLD:
                continue
            score = name_similarity({folded}, {other})
            if score >= SIMILARITY_THRESHOLD:
                found.append((name, other, score))
    return found


def snapshot():
    """What a user would see of the demo organizations and practices, in slug order."""
    return list(
        demo(Organization)
        .order_by("slug")
        .values_list("slug", "name_ru", "name_en", "region__slug", "founded", "is_published")
    ) + [
        (
            practice.slug,
            practice.title_ru,
            practice.body_en,
            practice.start,
            practice.end,
            sorted(org.slug for org in practice.organizations.all()),
            sorted(activity.slug for activity in practice.activities.all()),
        )
        for practice in demo(Practice)
        .order_by("slug")
        .prefetch_related("organizations", "activities")
    ]


def test_generates_exactly_the_requested_counts():
    result = generate_directory(orgs=40, seed=3, people=12, publications=5, practices=7)

    assert demo(Organization).count() == 40 == result.organizations
    assert demo(Person).count() == 12 == result.people
    assert demo(Publication).count() == 5 == result.publications
    assert demo(Practice).count() == 7 == result.practices
    assert Phone.objects.filter(organization__is_demo=True).count() == result.phones
    assert Affiliation.objects.filter(person__is_demo=True).count() == result.affiliations
    assert OrganizationEvent.objects.filter(organization__is_demo=True).count() == result.events
    # The real sample data is there too, untouched in number.
    assert Organization.objects.filter(is_demo=False).count() == 7
    assert Practice.objects.filter(is_demo=False).count() == 2


def test_practices_need_organizations():
    with pytest.raises(ValueError):
        generate_directory(orgs=0, seed=1, practices=3)
    assert not demo(Practice).exists()


def test_default_people_and_publications_follow_the_organization_count():
    result = generate_directory(orgs=100, seed=1)
    assert (result.organizations, result.people, result.publications) == (100, 10, 5)
    assert result.practices == 20


def test_the_same_seed_gives_the_same_directory():
    generate_directory(orgs=60, seed=11)
    first = snapshot()
    first_people = sorted(demo(Person).values_list("slug", flat=True))

    clear_synthetic()
    assert demo(Organization).count() == 0
    generate_directory(orgs=60, seed=11)

    assert snapshot() == first
    assert sorted(demo(Person).values_list("slug", flat=True)) == first_people


def test_another_seed_gives_another_directory():
    generate_directory(orgs=60, seed=11)
    first = snapshot()
    generate_directory(orgs=60, seed=12, clear=True)
    assert snapshot() != first
    assert demo(Organization).count() == 60


def test_a_second_run_without_clear_adds_rows_with_new_slugs():
    generate_directory(orgs=30, seed=5)
    generate_directory(orgs=30, seed=5)
    slugs = list(demo(Organization).values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 60


def test_generated_rows_look_like_a_real_directory():
    result = generate_directory(orgs=200, seed=2, people=40, publications=20)
    orgs = list(
        demo(Organization)
        .select_related("region", "parent")
        .prefetch_related("activities", "phones", "partners")
    )
    city_regions = set(Region.objects.filter(kind=Region.Kind.CITY).values_list("pk", flat=True))
    towns = {(town.ru, town.en): town for town in TOWNS}

    for org in orgs:
        assert has_cyrillic(org.name_ru) and not has_cyrillic(org.name_en), org.slug
        assert org.region_id in city_regions
        # An invented town, always in the same city region; named in the name too.
        town = towns[org.city_ru, org.city_en]
        assert town.region == org.region.slug
        assert town.en in org.name_en
        assert town.ru in org.name_ru or town.genitive_ru in org.name_ru
        assert 1 <= len(org.activities.all()) <= 4
        assert len(org.phones.all()) >= 1
        assert org.founded is None or 1976 <= org.founded <= 2015
        assert org.search_text == org.build_search_text()
        assert org.contacts_as_of == org.last_verified
        for partner in org.partners.all():
            assert org in partner.partners.all()
        org.full_clean()

    branches = [org for org in orgs if org.parent_id]
    assert len(branches) == result.branches == 12
    assert all(b.parent.is_demo for b in branches)
    assert any(not org.is_published for org in orgs)
    assert any(not org.contacts_public for org in orgs)
    assert len({org.status for org in orgs}) == 4
    assert len({org.kind for org in orgs}) == 5
    assert result.partnerships > 0

    for person in demo(Person):
        assert person.affiliations.exists()
        assert has_cyrillic(person.name_ru) and not has_cyrillic(person.name_en)
    for publication in demo(Publication):
        assert publication.topics.exists()
        publication.full_clean()


def test_clear_removes_demo_rows_and_keeps_the_real_ones():
    generate_directory(orgs=50, seed=4, people=10, publications=5)
    publisher = demo(Organization).first()
    real_book = PublicationFactory(title_en="A real report", publisher=publisher)
    real_practice = Practice.objects.get(slug="networking-project")
    real_practice.organizations.add(publisher)
    mhg_phones = Phone.objects.filter(organization__slug="moscow-helsinki-group").count()
    # The flag decides, not the slug.
    real_with_old_slug = OrganizationFactory(slug="synthetic-but-real")
    demo_by_hand = OrganizationFactory(slug="a-made-up-group", is_demo=True, founded=1990)

    removed = clear_synthetic()

    assert removed == {"organizations": 51, "people": 10, "publications": 5, "practices": 10}
    assert not demo(Practice).exists()
    for relation in ("organizations", "activities", "regions", "sources"):
        links = getattr(Practice, relation).through.objects
        assert set(links.values_list("practice__slug", flat=True)) <= {
            "legal-culture-seminars",
            "networking-project",
        }
    assert [org.slug for org in real_practice.organizations.all()] == ["moscow-helsinki-group"]
    assert not demo(Organization).exists()
    assert not demo(Person).exists()
    assert not demo(Publication).exists()
    assert not Phone.objects.filter(organization__is_demo=True).exists()
    assert not OrganizationEvent.objects.filter(organization_id=demo_by_hand.pk).exists()
    assert set(Organization.objects.values_list("slug", flat=True)) >= {
        "moscow-helsinki-group",
        real_with_old_slug.slug,
    }
    assert Organization.objects.count() == 8
    assert Phone.objects.filter(organization__slug="moscow-helsinki-group").count() == mhg_phones
    real_book.refresh_from_db()
    assert real_book.publisher is None
    assert Organization.partners.through.objects.count() == 0


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        generate_directory(orgs=-1, seed=1)


def test_the_command_generates_and_clears(capsys):
    call_command("generate_directory", "--orgs", "12", "--seed", "4", "--no-progress")
    assert demo(Organization).count() == 12
    out = capsys.readouterr().out
    assert "Generated 12 organizations" in out and "2 practices" in out
    call_command(
        "generate_directory", "--orgs", "5", "--practices", "4", "--clear", "--no-progress"
    )
    assert demo(Practice).count() == 4
    assert "4 practices" in capsys.readouterr().out

    call_command("generate_directory", "--orgs", "8", "--seed", "4", "--clear", "--no-progress")
    assert demo(Organization).count() == 8

    call_command("generate_directory", "--clear-only")
    assert demo(Organization).count() == 0
    out = capsys.readouterr().out
    assert "Deleted 8 demo organizations" in out and "1 practices" in out
    assert not demo(Practice).exists()


def test_the_command_refuses_a_negative_count():
    with pytest.raises(CommandError):
        call_command("generate_directory", "--orgs", "-5", "--no-progress")
    assert not demo(Organization).exists()


def test_generated_names_are_fictional_and_resemble_no_real_name():
    """3,000 organizations with their people and publications: nothing can be taken for
    a real entry, a real phone number or a real address on the web."""
    generate_directory(orgs=3000, seed=1)
    orgs = demo(Organization)
    names = set()
    for name_ru, name_en, city_ru, city_en in orgs.values_list(
        "name_ru", "name_en", "city_ru", "city_en"
    ):
        names |= {name_ru, name_en, city_ru, city_en}
    events = OrganizationEvent.objects.filter(organization__is_demo=True, kind="renamed")
    former = set(events.values_list("former_name_ru", "former_name_en"))
    assert former
    names |= {name for pair in former for name in pair}
    names |= {name for pair in demo(Person).values_list("name_ru", "name_en") for name in pair}
    titles = demo(Publication).values_list("title_ru", "title_en", "city_ru", "city_en")
    names |= {name for row in titles for name in row}
    practice_titles = set(demo(Practice).values_list("title_ru", "title_en"))
    assert len(practice_titles) > 100
    names |= {name for pair in practice_titles for name in pair}
    real = real_names()
    assert {"Moscow Helsinki Group", "Яна Лантратова", "Судебная защита прав человека"} <= real

    assert names.isdisjoint(real)
    assert resembling(names, real) == []
    # No real place in a name: neither a region of the sample data nor its city.
    places = {
        fold_latin(name)
        for pair in Region.objects.values_list("name_ru", "name_en")
        for name in pair
    }
    assert [
        name for name in names if any(f" {place} " in f" {fold_latin(name)} " for place in places)
    ] == []

    numbers = list(
        Phone.objects.filter(organization__is_demo=True).values_list("number", flat=True)
    )
    assert len(numbers) > 3000
    assert [number for number in numbers if not number.startswith("+7 000 ")] == []
    emails = [e for e in orgs.values_list("email", flat=True) if e]
    websites = [w for w in orgs.values_list("website", flat=True) if w]
    assert len(emails) > 2000 and len(websites) > 1000
    assert {email.rpartition("@")[2] for email in emails} == EXAMPLE_DOMAINS
    assert {urlsplit(url).hostname for url in websites} == EXAMPLE_DOMAINS

    assert orgs.count() == 3000 and demo(Person).count() == 300
    assert demo(Publication).count() == 150
    assert demo(Practice).count() == 600
    # Every row of the fixtures is there and none of them is a demo row; every other
    # row (all the generator made) is one.
    for model in (Organization, Person, Publication, Practice):
        label = model._meta.label_lower
        slugs = {row["fields"]["slug"] for row in fixture_rows() if row["model"] == label}
        assert set(model.objects.filter(is_demo=False).values_list("slug", flat=True)) == slugs
        assert len(slugs) > 0


def test_each_pair_of_names_is_spelled_alike_in_both_scripts():
    """A reader who types the Latin spelling finds the Cyrillic name, and back."""
    generate_directory(orgs=100, seed=8, people=100, publications=0)
    for town in TOWNS:
        assert fold_latin(town.ru) == fold_latin(town.en), town
    for name_ru, name_en in demo(Person).values_list("name_ru", "name_en"):
        assert fold_latin(name_ru) == fold_latin(name_en)


def test_derived_columns_are_what_the_events_say():
    """Status, its date, the founding year, designations and former names are what
    ``derive()`` makes of each organization's events, as a save would have them."""
    result = generate_directory(orgs=1500, seed=6, people=0, publications=0)
    orgs = list(demo(Organization).prefetch_related("events"))

    assert result.events == sum(len(org.events.all()) for org in orgs)
    for org in orgs:
        events = list(org.events.all())
        derived = derive(events, staff_status=org.status)
        assert (
            org.status,
            org.status_since_date,
            org.founded,
            org.designations,
            org.former_names,
        ) == (
            derived.status,
            derived.status_since,
            derived.founded,
            derived.designations,
            derived.former_names,
        ), org.slug
        assert org.search_text == org.build_search_text()
        founded = [event.date.year for event in events if event.kind == "founded"]
        assert founded == ([org.founded] if org.founded else [])
        dates = [event.when for event in events]
        assert dates == sorted(set(dates))  # one event a date, in date order
        for event in events:
            event.full_clean()
            assert event.is_public
            assert (event.kind == "relocated") == (event.country_id is not None)
            assert (event.kind == "renamed") == bool(event.former_name_ru and event.former_name_en)

    kinds = {event.kind for org in orgs for event in org.events.all()}
    assert kinds == set(OrganizationEvent.Kind.values) - {"registered"}
    with_a_story = [org for org in orgs if any(e.kind != "founded" for e in org.events.all())]
    assert 0.05 < len(with_a_story) / len(orgs) < 0.25
    assert {org.status for org in with_a_story} >= {"active", "inactive", "closed"}
    assert any(org.former_names for org in orgs)
    assert {org.designations for org in orgs} >= {"", "foreign_agent", "undesirable"}


def test_demo_practices_are_done_by_demo_organizations_in_their_towns():
    """Each practice: in both languages, by demo organizations, in their regions, on a
    period that may be ongoing or unknown, searchable as a save would make it."""
    result = generate_directory(orgs=300, seed=2, people=0, publications=0)
    practices = list(
        demo(Practice).prefetch_related("organizations", "activities", "regions", "sources")
    )
    towns = {town.region: town for town in TOWNS}

    assert len(practices) == result.practices == 60
    for practice in practices:
        practice.full_clean()  # the dates' constraints: precision set, end not before start
        assert practice.is_demo
        assert has_cyrillic(practice.title_ru) and not has_cyrillic(practice.title_en)
        for text in (practice.summary_ru, practice.body_ru, practice.lessons_ru):
            assert has_cyrillic(text) and "<" not in text
        for text in (practice.summary_en, practice.body_en, practice.lessons_en):
            assert text and not has_cyrillic(text) and "<" not in text
        orgs = list(practice.organizations.all())
        assert 1 <= len(orgs) <= 3 and all(org.is_demo for org in orgs)
        assert {region.pk for region in practice.regions.all()} == {org.region_id for org in orgs}
        assert any(towns[org.region.slug].en in practice.title_en for org in orgs)
        assert practice.activities.all()
        assert not practice.sources.all()  # the generator makes no sources
        assert practice.search_text == practice.build_search_text()
        if practice.start and practice.end:
            assert practice.end.date > practice.start.date
    assert rebuild_derived_fields().practices == 0

    periods = {(p.start is not None, p.end is not None) for p in practices}
    assert periods == {(False, False), (True, False), (True, True)}
    assert {p.start.precision for p in practices if p.start} == {"year", "month", "day"}
    assert any(p.body_ru.startswith("- ") and "\n- " in p.body_ru for p in practices)
    assert any(not p.body_en.startswith("- ") for p in practices)
    assert any(not p.is_published for p in practices)
    assert any(len(p.organizations.all()) > 1 for p in practices)
