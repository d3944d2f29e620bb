"""The fast readers of the public pages give exactly what the plain ones give.

The list reads one page of ids (cached) and then those rows by id, instead of the
sorted, sliced queryset; the organization page ranks similar groups on narrow rows
before reading them; every cached block renders the same page as a fresh one.
"""

import datetime
import re

import pytest
from django.db.models import Count
from django.http import QueryDict

from directory import page_selectors
from directory.listings import ORGANIZATIONS
from directory.models import Organization
from rightsnet.headers import without_nonce
from tests.factories import ActivityTypeFactory, OrganizationFactory, RegionFactory
from tests.pages_data import build_world, public_urls

pytestmark = pytest.mark.django_db

CARD_LINK = re.compile(r'<li class="result">\n<h2><a href="/(?:ru|en)/organizations/([^/"]+)/"')
NAMES = ["Ёлка", "Елена", "Альфа", "Watch", "Правозащитный центр", "Memorial", "Бета", "Zeta"]


@pytest.fixture
def many():
    """Sixty organizations (two pages) with ties and gaps in every sort key."""
    russia = RegionFactory(name_en="Russia", name_ru="Россия", slug="russia", kind="country")
    perm = RegionFactory(name_en="Perm", name_ru="Пермь", slug="perm", parent=russia)
    watch = ActivityTypeFactory(name_en="Watch", slug="watch")
    aid = ActivityTypeFactory(name_en="Aid", slug="aid")
    for n in range(60):
        name = f"{NAMES[n % len(NAMES)]} {n % 7}"
        org = OrganizationFactory(
            name_ru=name if n % 3 else "",
            name_en=f"{name} en" if n % 4 else "",
            region=perm if n % 2 else russia,
            kind="group" if n % 5 else "ngo",
            founded=None if n % 6 == 0 else 1970 + n % 9,
            description_en="human rights watch" if n % 2 else "aid",
            activities=[watch] if n % 3 else [watch, aid],
        )
        # Ties in "recently updated" too.
        Organization.objects.filter(pk=org.pk).update(
            updated_at=datetime.datetime(2024, 1, 1 + n % 5, tzinfo=datetime.UTC)
        )


QUERIES = [
    "",
    "sort=-updated",
    "sort=founded",
    "kind=group",
    "region=perm&activity=aid",
    "q=watch",
    "q=watch&sort=name",
    "q=watch&sort=founded&region=russia",
    "q=правозащитный",
]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("query", QUERIES)
def test_each_page_of_the_list_is_the_plain_querysets_slice(client, many, query, language):
    result = ORGANIZATIONS.search(QueryDict(query), language)
    plain = [org.slug for org in result.queryset]
    pages = [plain[:50], plain[50:100]]
    for number, expected in enumerate(pages, start=1):
        if number > 1 and not expected:
            continue
        url = f"/{language}/organizations/?{query}&page={number}"
        first = client.get(url).content.decode()
        again = client.get(url).content.decode()  # from the cache
        assert CARD_LINK.findall(first) == expected
        assert again == first


def plain_similar(organization, region, activity_ids, limit=page_selectors.SIMILAR_LIMIT):
    """The similar groups as one grouped query of full rows (the reader before)."""
    return list(
        Organization.objects.published()
        .in_region(region)
        .exclude(pk=organization.pk)
        .filter(activities__in=activity_ids)
        .annotate(shared=Count("activities", distinct=True))
        .order_by("-shared", "name", "pk")[:limit]
    )


def test_similar_organizations_are_the_plain_querys(many):
    perm = Organization.objects.filter(region__slug="perm").first()
    perm = page_selectors.organization_detail(perm.slug)
    activity_ids = [activity.pk for activity in perm.activities.all()]
    fast = page_selectors.similar_organizations(perm)
    plain = plain_similar(perm, perm.region, activity_ids)
    assert len(fast) == page_selectors.SIMILAR_LIMIT
    assert [(o.slug, o.shared) for o in fast] == [(o.slug, o.shared) for o in plain]
    # Only the shared types of work are named.
    for org in fast:
        assert {a.pk for a in org.shared_activities} <= set(activity_ids)
        assert len(org.shared_activities) == org.shared


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_page_type_renders_the_same_from_the_cache(client, language):
    world = build_world()
    for url in public_urls(world, language):
        fresh = client.get(url)
        cached = client.get(url)
        assert cached.status_code == fresh.status_code, url
        # The CSP nonce of the JSON-LD block is new in every response.
        assert without_nonce(cached.content) == without_nonce(fresh.content), url
