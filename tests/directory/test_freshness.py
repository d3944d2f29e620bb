"""Cached public reads change the moment a write commits (``directory.freshness``)."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from directory import freshness
from directory.models import DataVersion, Organization, Phone
from sitedata import generator, services
from tests.factories import ActivityTypeFactory, OrganizationFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def published_names() -> list[str]:
    return freshness.cached(
        "test:names",
        lambda: sorted(Organization.objects.published().values_list("name_en", flat=True)),
    )


def test_a_cached_value_is_built_once_while_nothing_changes():
    OrganizationFactory(name_en="Alpha")
    calls = []

    def build():
        calls.append(1)
        return "built"

    assert freshness.cached("test:once", build) == "built"
    assert freshness.cached("test:once", build) == "built"
    assert len(calls) == 1


def test_saving_creating_and_deleting_an_organization_refreshes_what_readers_see():
    org = OrganizationFactory(name_en="Alpha")
    assert published_names() == ["Alpha"]
    org.name_en = "Beta"
    org.save()
    assert published_names() == ["Beta"]
    OrganizationFactory(name_en="Gamma")
    assert published_names() == ["Beta", "Gamma"]
    org.delete()
    assert published_names() == ["Gamma"]


def test_related_rows_and_many_to_many_links_count_as_writes():
    org = OrganizationFactory()
    activity = ActivityTypeFactory()
    before = freshness.current()
    org.activities.add(activity)
    after_link = freshness.current()
    Phone.objects.create(organization=org, number="+7 495 000-00-00")
    after_phone = freshness.current()
    PublicationFactory()
    assert before < after_link < after_phone < freshness.current()


def test_set_based_writes_of_services_and_the_generator_count_too():
    OrganizationFactory(name_en="Alpha")
    Organization.objects.update(search_text="")
    before = freshness.current()
    services.rebuild_derived_fields()
    assert freshness.current() > before

    services.load_sample_data()
    real = published_names()
    generator.generate_directory(orgs=3, seed=1, people=0, publications=0)
    with_demo = published_names()
    assert len(with_demo) > len(real)
    generator.clear_synthetic()
    assert published_names() == real


def test_within_a_request_the_version_is_read_once_and_a_write_is_still_seen():
    OrganizationFactory(name_en="Alpha")
    with freshness.snapshot():
        assert published_names() == ["Alpha"]
        version = freshness.current()
        OrganizationFactory(name_en="Beta")
        assert freshness.current() != version
        assert published_names() == ["Alpha", "Beta"]


def test_a_rolled_back_write_never_lends_its_number_to_a_later_one():
    OrganizationFactory(name_en="Alpha")
    assert published_names() == ["Alpha"]
    with pytest.raises(RuntimeError), transaction.atomic():
        OrganizationFactory(name_en="Ghost")
        # Read inside the failing transaction: cached under its number.
        assert published_names() == ["Alpha", "Ghost"]
        ghost_version = freshness.current()
        raise RuntimeError("rolled back")
    OrganizationFactory(name_en="Beta")
    assert freshness.current() != ghost_version
    assert published_names() == ["Alpha", "Beta"]


def test_none_is_cached_like_any_value():
    calls = []

    def build():
        calls.append(1)

    assert freshness.cached("test:none", build) is None
    assert freshness.cached("test:none", build) is None
    assert len(calls) == 1


def test_a_write_stamps_the_time_of_the_last_change_with_the_number():
    DataVersion.objects.update(changed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    before = freshness.state()
    assert before.changed_at == datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    start = timezone.now()
    OrganizationFactory(name_en="Alpha")
    after = freshness.state()
    assert after.number != before.number
    assert start <= after.changed_at <= timezone.now()
    assert freshness.last_change() == after.changed_at
    assert freshness.current() == after.number


def test_a_request_reads_the_number_and_the_time_in_one_query(django_assert_num_queries):
    OrganizationFactory(name_en="Alpha")
    with freshness.snapshot(), django_assert_num_queries(1):
        version = freshness.state()
        assert freshness.current() == version.number
        assert freshness.last_change() == version.changed_at
    with freshness.snapshot():
        seen = freshness.state()
        OrganizationFactory(name_en="Beta")  # a write in the request forgets the memo
        with django_assert_num_queries(1):
            assert freshness.state().number != seen.number


def test_without_the_row_the_version_is_zero_and_its_time_unknown():
    DataVersion.objects.all().delete()
    assert freshness.state() == (0, None)
    freshness.bump()
    assert freshness.state().changed_at is not None
