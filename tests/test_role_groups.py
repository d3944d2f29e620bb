"""The test helper that brings back the migrations' role groups after a table flush."""

import pytest
from django.contrib.auth.models import Group

from tests.staff import role_group


def rights(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


@pytest.mark.django_db
def test_role_groups_made_again_have_the_migrations_rights():
    before = {name: rights(name) for name in ("Editors", "Viewers")}
    assert "import_organizations" in before["Editors"]
    assert "add_contactmessage" not in before["Editors"]
    Group.objects.filter(name__in=before).delete()

    assert {
        name: set(role_group(name).permissions.values_list("codename", flat=True))
        for name in before
    } == before
