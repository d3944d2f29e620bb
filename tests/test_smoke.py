import pytest

from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_organization_gets_a_slug_and_search_text():
    org = OrganizationFactory(name_ru="Мемориал", name_en="")
    assert org.slug == "memorial"
    assert "мемориал" in org.search_text
