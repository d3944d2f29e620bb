"""A release that changes what rows derive (here: the search text's layout) keeps the
rows of an existing database right: ``migrate`` recomputes them."""

import pytest
from django.core.management import call_command

from directory.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_migrate_recomputes_stale_derived_fields_of_existing_rows():
    org = OrganizationFactory(name_en="Perm Memorial", name_ru="Пермский Мемориал", founded=1988)
    fresh = Organization.objects.get(pk=org.pk).search_text
    # As an older release stored it: another layout, and no founded event behind the year.
    org.events.all().delete()
    Organization.objects.filter(pk=org.pk).update(search_text="perm memorial", founded=1988)

    call_command("migrate", "directory", "0016", verbosity=0)
    call_command("migrate", verbosity=0)

    org.refresh_from_db()
    assert org.search_text == fresh
    assert [(e.kind, e.when.iso()) for e in org.events.all()] == [("founded", "1988")]
