"""The synthetic directory generator and its command."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.models import Affiliation, Organization, Person, Phone, Region
from publications.models import Publication
from rightsnet.text import has_cyrillic
from sitedata.generator import SYNTHETIC_PREFIX, clear_synthetic, generate_directory
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def synthetic(model):
    return model.objects.filter(slug__startswith=SYNTHETIC_PREFIX)


def snapshot():
    """What a user would see of the synthetic organizations, in slug order."""
    return list(
        synthetic(Organization)
        .order_by("slug")
        .values_list("slug", "name_ru", "name_en", "region__slug", "founded", "is_published")
    )


def test_generates_exactly_the_requested_counts():
    result = generate_directory(orgs=40, seed=3, people=12, publications=5)

    assert synthetic(Organization).count() == 40 == result.organizations
    assert synthetic(Person).count() == 12 == result.people
    assert synthetic(Publication).count() == 5 == result.publications
    assert Phone.objects.filter(organization__slug__startswith=SYNTHETIC_PREFIX).count() == (
        result.phones
    )
    assert Affiliation.objects.filter(person__slug__startswith=SYNTHETIC_PREFIX).count() == (
        result.affiliations
    )
    # The real sample data is there too, untouched in number.
    assert Organization.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).count() == 7


def test_default_people_and_publications_follow_the_organization_count():
    result = generate_directory(orgs=100, seed=1)
    assert (result.organizations, result.people, result.publications) == (100, 10, 5)


def test_the_same_seed_gives_the_same_directory():
    generate_directory(orgs=60, seed=11)
    first = snapshot()
    first_people = sorted(synthetic(Person).values_list("slug", flat=True))

    clear_synthetic()
    assert synthetic(Organization).count() == 0
    generate_directory(orgs=60, seed=11)

    assert snapshot() == first
    assert sorted(synthetic(Person).values_list("slug", flat=True)) == first_people


def test_another_seed_gives_another_directory():
    generate_directory(orgs=60, seed=11)
    first = snapshot()
    generate_directory(orgs=60, seed=12, clear=True)
    assert snapshot() != first
    assert synthetic(Organization).count() == 60


def test_a_second_run_without_clear_adds_rows_with_new_slugs():
    generate_directory(orgs=30, seed=5)
    generate_directory(orgs=30, seed=5)
    slugs = list(synthetic(Organization).values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 60


def test_generated_rows_look_like_a_real_directory():
    result = generate_directory(orgs=200, seed=2, people=40, publications=20)
    orgs = list(
        synthetic(Organization)
        .select_related("region", "parent")
        .prefetch_related("activities", "phones", "partners")
    )
    city_regions = set(Region.objects.filter(kind=Region.Kind.CITY).values_list("pk", flat=True))

    for org in orgs:
        assert has_cyrillic(org.name_ru) and not has_cyrillic(org.name_en), org.slug
        assert org.region_id in city_regions
        assert (org.city_ru, org.city_en) == (org.region.name_ru, org.region.name_en)
        assert 1 <= len(org.activities.all()) <= 4
        assert len(org.phones.all()) >= 1
        assert org.founded is None or 1976 <= org.founded <= 2015
        assert org.search_text == org.build_search_text()
        assert "Demo entry" in org.description_en and "Демо-запись" in org.description_ru
        assert not org.email or org.email.split("@")[1].split(".", 1)[1].startswith("example.")
        for partner in org.partners.all():
            assert org in partner.partners.all()
        org.full_clean()

    branches = [org for org in orgs if org.parent_id]
    assert len(branches) == result.branches == 12
    assert all(b.parent.slug.startswith(SYNTHETIC_PREFIX) for b in branches)
    assert any(not org.is_published for org in orgs)
    assert any(not org.contacts_public for org in orgs)
    assert len({org.status for org in orgs}) == 4
    assert len({org.kind for org in orgs}) == 5
    assert result.partnerships > 0

    for person in synthetic(Person):
        assert person.affiliations.exists()
        assert has_cyrillic(person.name_ru) and not has_cyrillic(person.name_en)
    for publication in synthetic(Publication):
        assert publication.topics.exists()
        publication.full_clean()


def test_clear_removes_synthetic_rows_and_keeps_the_real_ones():
    generate_directory(orgs=50, seed=4, people=10, publications=5)
    publisher = synthetic(Organization).first()
    real_book = PublicationFactory(title_en="A real report", publisher=publisher)
    mhg_phones = Phone.objects.filter(organization__slug="moscow-helsinki-group").count()

    removed = clear_synthetic()

    assert removed == {"organizations": 50, "people": 10, "publications": 5}
    assert not synthetic(Organization).exists()
    assert not synthetic(Person).exists()
    assert not synthetic(Publication).exists()
    assert Phone.objects.filter(organization__slug__startswith=SYNTHETIC_PREFIX).count() == 0
    assert Organization.objects.count() == 7
    assert Phone.objects.filter(organization__slug="moscow-helsinki-group").count() == mhg_phones
    real_book.refresh_from_db()
    assert real_book.publisher is None
    assert Organization.partners.through.objects.count() == 0


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        generate_directory(orgs=-1, seed=1)


def test_the_command_generates_and_clears(capsys):
    call_command("generate_directory", "--orgs", "12", "--seed", "4", "--no-progress")
    assert synthetic(Organization).count() == 12
    assert "Generated 12 organizations" in capsys.readouterr().out

    call_command("generate_directory", "--orgs", "8", "--seed", "4", "--clear", "--no-progress")
    assert synthetic(Organization).count() == 8

    call_command("generate_directory", "--clear-only")
    assert synthetic(Organization).count() == 0
    assert "Deleted 8 synthetic organizations" in capsys.readouterr().out


def test_the_command_refuses_a_negative_count():
    with pytest.raises(CommandError):
        call_command("generate_directory", "--orgs", "-5", "--no-progress")
    assert not synthetic(Organization).exists()
