"""The directory's public pages: what a visitor sees, and what never leaks."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from directory import page_selectors
from tests.factories import (
    ActivityTypeFactory,
    AffiliationFactory,
    OrganizationEventFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
    PracticeFactory,
    PublicationFactory,
    RegionFactory,
    SourceFactory,
)
from tests.html import counted_links, page
from tests.pages_data import ALL_MARKERS, RESTRICTED_MARKERS, public_urls

pytestmark = pytest.mark.django_db

JSON_LD_RE = re.compile(r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', re.S)


def ru(url_name, **kwargs):
    with translation.override("ru"):
        return reverse(url_name, kwargs=kwargs or None)


def en(url_name, **kwargs):
    with translation.override("en"):
        return reverse(url_name, kwargs=kwargs or None)


def json_ld(response) -> dict:
    found = JSON_LD_RE.findall(response.content.decode())
    assert len(found) == 1
    return json.loads(found[0])


# Drafts and restricted contacts, through every relation


@pytest.mark.parametrize("language", ["ru", "en"])
def test_no_draft_or_restricted_contact_on_any_page(client, world, language):
    for url in public_urls(world, language):
        response = client.get(url)
        assert response.status_code == 200, url
        for marker in ALL_MARKERS:
            assertNotContains(response, marker, msg_prefix=url)


def test_draft_organization_and_unknown_slug_are_404(client, world):
    assert client.get(world.draft_org.get_absolute_url()).status_code == 404
    assert client.get(ru("directory:organization_detail", slug="no-such-org")).status_code == 404
    assert client.get(en("directory:organization_detail", slug="no-such-org")).status_code == 404


def test_draft_person_is_404(client, world):
    assert client.get(world.draft_person.get_absolute_url()).status_code == 404
    assert client.get(ru("directory:person_detail", slug="nobody")).status_code == 404


def test_unknown_region_and_activity_are_404(client, world):
    assert client.get(ru("directory:region_detail", slug="atlantis")).status_code == 404
    assert client.get(en("directory:activity_detail", slug="juggling")).status_code == 404


# Home


def test_home_counts_published_organizations_only_with_descendants(client, world):
    response = client.get(en("directory:home"))
    html = page(response)
    # The top-level regions of the Regions block (their sub-regions are nested lists).
    regions = html.find("section", aria_labelledby="regions-title").find("ul")
    # Russia: org, branch, partner, similar, restricted (5 published); 5 drafts not counted.
    assert dict(counted_links(regions)) == {"/en/organizations/?region=russia": 5}
    activities = html.find("section", aria_labelledby="activities-title").find("ul")
    assert dict(counted_links(activities)) == {
        "/en/organizations/?activity=legal-defense": 4,
        "/en/organizations/?activity=monitoring": 2,
        "/en/organizations/?activity=education": 1,
    }
    assertContains(
        response,
        '<a href="/en/organizations/?activity=legal-defense">Legal defense</a>'
        ' <span class="count">4</span>',
        html=True,
    )
    assertContains(
        response,
        '<a href="/en/organizations/?region=russia">Russia</a> <span class="count">5</span>',
        html=True,
    )
    assertContains(response, 'action="/en/organizations/"')
    # Recently updated: every published organization once, no draft.
    assertContains(response, 'href="/en/organizations/moscow-helsinki-group/"', count=1)
    assertContains(response, '<span class="meta">— Podolsk</span>', html=True)


def test_home_in_russian(client, world):
    response = client.get(ru("directory:home"))
    assertContains(response, '<html lang="ru">')
    assertContains(response, "Правовая защита")
    assertContains(response, "Что такое rightsnet?")
    assertNotContains(response, "What is rightsnet")


def test_home_query_count_does_not_grow(client, django_assert_num_queries, world):
    # The data version, then the blocks: types of work and their counts, regions and
    # theirs, recently updated, the total, the latest practices.
    with django_assert_num_queries(8):
        client.get(ru("directory:home"))
    # Until the next write, the blocks come from the cache.
    with django_assert_num_queries(1):
        client.get(ru("directory:home"))
    for _n in range(5):
        region = RegionFactory(parent=world.russia)
        OrganizationFactory(region=region, activities=[ActivityTypeFactory()])
        PracticeFactory(organizations=[world.org], activities=[world.legal])
    with django_assert_num_queries(8):
        client.get(ru("directory:home"))


# Organization page


def test_organization_page_shows_public_details(client, world):
    response = client.get(world.org.get_absolute_url().replace("/ru/", "/en/", 1))
    assertContains(response, "<h1>Moscow Helsinki Group</h1>", html=True)
    # The other language's name is shown too, marked as Russian.
    assertContains(response, '<span lang="ru">Московская Хельсинкская группа</span>', html=True)
    # The breadcrumb: each level filters the list by it.
    for slug in ["russia", "moscow-oblast", "podolsk"]:
        assertContains(response, f'href="/en/organizations/?region={slug}"')
    assertContains(response, 'href="/en/organizations/?activity=legal-defense"')
    assertContains(response, 'href="/en/organizations/?activity=monitoring"')
    assertContains(response, "<dt>Telephone</dt>", html=True)
    assertContains(response, "<dt>Fax</dt>", html=True)
    assertContains(response, "<dt>Mobile</dt>", html=True)
    assertContains(response, "+7 095 206-81-71")
    assertContains(response, "mailto:mhg@example.org")
    assertContains(response, "1 Open Street")
    assertContains(response, "101000")
    assertContains(response, "https://mhg.example.org/")
    assertContains(response, "founded in 1976")
    assertContains(response, "Tver branch")
    assertContains(response, "Memorial")
    assertContains(response, "Lyudmila Alexeyeva")
    assertContains(response, "chair")
    assertContains(response, "The Nationalities Problem and Human Rights")
    assertContains(response, "Not verified yet.")


def test_organization_description_falls_back_marked_with_its_language(client, world):
    response = client.get(world.org.get_absolute_url().replace("/ru/", "/en/", 1))
    assertContains(
        response,
        '<span lang="ru">Старейшая правозащитная организация России.</span> '
        '<small class="fallback-note">(in Russian)</small>',
    )


def test_restricted_contacts_are_not_shown(client, world):
    for language in ["ru", "en"]:
        with translation.override(language):
            url = world.restricted.get_absolute_url()
        response = client.get(url)
        assert response.status_code == 200
        for marker in RESTRICTED_MARKERS.values():
            assertNotContains(response, marker)
        assertNotContains(response, "tel:")
        assertNotContains(response, "mailto:")
    assertContains(response, "not published for the safety")


def test_json_ld_is_valid_and_public_only(client, world):
    data = json_ld(client.get(world.org.get_absolute_url().replace("/ru/", "/en/", 1)))
    assert data["@type"] == "NGO"
    assert data["name"] == "Moscow Helsinki Group"
    assert "Московская Хельсинкская группа" in data["alternateName"]
    assert data["foundingDate"] == "1976"
    assert data["url"] == "http://testserver/en/organizations/moscow-helsinki-group/"
    assert data["address"]["streetAddress"] == "1 Open Street"
    assert data["address"]["postalCode"] == "101000"
    assert sorted(data["telephone"]) == ["+7 095 206-81-71", "+7 916 000-00-01"]
    assert data["faxNumber"] == "+7 095 921-12-09"
    assert data["areaServed"]["name"] == "Podolsk"

    with translation.override("ru"):
        restricted_url = world.restricted.get_absolute_url()
    restricted = json_ld(client.get(restricted_url))
    assert restricted["name"] == "Группа под угрозой"
    for key in ["address", "telephone", "faxNumber", "email"]:
        assert key not in restricted
    assert not any(marker in json.dumps(restricted) for marker in ALL_MARKERS)


def test_json_ld_cannot_close_the_script_element(client):
    org = OrganizationFactory(
        name_en='</script><script>alert("x")</script>', name_ru="Группа <!-- & -->"
    )
    response = client.get(org.get_absolute_url())
    body = response.content.decode()
    assert "<script>alert" not in body
    data = json_ld(response)
    assert data["name"] == "Группа <!-- & -->"
    assert '</script><script>alert("x")</script>' in data["alternateName"]


def test_similar_groups_share_region_subtree_and_activities_ranked(client, world):
    # A city's group sees its province: the similar centre shares two activities,
    # the restricted group one; the branch shares none; Memorial is outside the oblast.
    response = client.get(world.org.get_absolute_url().replace("/ru/", "/en/", 1))
    similar = page(response).find("ul", class_="similar").items()
    assert [item.child("a").text for item in similar] == ["Podolsk Rights Centre", "Group at risk"]
    assert similar[0].child("span", class_="shared").text == "Shared: Legal defense, Monitoring"
    assertContains(response, "Groups in the same region doing similar work")
    assertContains(response, "Shared: Legal defense, Monitoring")


def test_draft_parent_is_not_named_but_published_parent_is(client, world):
    response = client.get(world.branch.get_absolute_url().replace("/ru/", "/en/", 1))
    assertContains(response, "Branch of")
    assertContains(response, f'href="{world.org.get_absolute_url().replace("/ru/", "/en/", 1)}"')
    response = client.get(world.org.get_absolute_url())
    assertNotContains(response, "Отделение организации")


def test_organization_page_query_count_is_fixed(client, django_assert_num_queries, world):
    url = world.org.get_absolute_url()
    # The data version, the organization with its relations (its public events and
    # their public sources, its published practices among them), its sources, the
    # similar groups.
    with django_assert_num_queries(17):
        client.get(url)
    with django_assert_num_queries(1):
        client.get(url)
    for _n in range(4):
        PhoneFactory(organization=world.org)
        OrganizationFactory(parent=world.org, region=world.city)
        world.org.partners.add(OrganizationFactory(region=world.russia))
        AffiliationFactory(organization=world.org, person=PersonFactory())
        PublicationFactory(publisher=world.org)
        OrganizationFactory(region=world.moscow_oblast, activities=[world.legal])
        world.org.sources.add(SourceFactory())
        OrganizationEventFactory(
            organization=world.org, kind="renamed", date="1990", sources=[SourceFactory()]
        )
        PracticeFactory(organizations=[world.org], activities=[world.legal])
    with django_assert_num_queries(17):
        response = client.get(url)
    branches = page(response).find("section", aria_labelledby="structure-title").find("ul")
    assert len(branches.items()) == 5


# Regions


def test_region_tree_counts_whole_subtrees(client, world):
    response = client.get(en("directory:region_list"))
    tree = page(response).find("ul", class_="tree")
    assert counted_links(tree) == [("/en/regions/russia/", 5)]
    # Each region's sub-regions are the list nested in its item.
    oblasts = tree.items()[0].child("ul", class_="tree")
    assert counted_links(oblasts)[0] == ("/en/regions/moscow-oblast/", 4)
    cities = oblasts.items()[0].child("ul", class_="tree")
    assert counted_links(cities) == [("/en/regions/podolsk/", 1)]
    assertContains(response, 'href="/en/regions/podolsk/"')


def test_region_tree_query_count_is_fixed(client, django_assert_num_queries, world):
    with django_assert_num_queries(3):
        client.get(ru("directory:region_list"))
    with django_assert_num_queries(1):
        client.get(ru("directory:region_list"))
    parent = world.city
    for _n in range(6):
        parent = RegionFactory(parent=parent)
        OrganizationFactory(region=parent)
    with django_assert_num_queries(3):
        response = client.get(ru("directory:region_list"))
    tree = page(response).find("ul", class_="tree")
    assert counted_links(tree)[0] == (ru("directory:region_detail", slug="russia"), 11)


def test_region_landing_page(client, world):
    response = client.get(en("directory:region_detail", slug="moscow-oblast"))
    assertContains(response, "<h1>Moscow Oblast</h1>", html=True)
    assertContains(response, "4 published organizations here, sub-regions included.")
    assertContains(response, 'href="/en/regions/russia/"')
    assertContains(response, 'href="/en/regions/podolsk/"')
    assertContains(response, 'href="/en/organizations/?region=moscow-oblast"')
    assertContains(response, "Podolsk Rights Centre")
    assertContains(response, "Moscow Helsinki Group")  # in the city below
    assertNotContains(response, "Memorial")  # one level up


def test_region_landing_page_in_russian_uses_plural_forms(client, world):
    response = client.get(ru("directory:region_detail", slug="moscow-oblast"))
    assertContains(response, "Здесь 4 опубликованные организации, включая входящие регионы.")


# Types of work


def test_activity_pages(client, world):
    world.legal.description_en = "Defending rights in court."
    world.legal.save()
    response = client.get(en("directory:activity_list"))
    assertContains(response, 'href="/en/activities/legal-defense/"')
    response = client.get(en("directory:activity_detail", slug="legal-defense"))
    assertContains(response, "Defending rights in court.")
    assertContains(response, "4 published organizations do this work.")
    assertContains(response, 'href="/en/organizations/?activity=legal-defense"')
    assertContains(response, "Memorial")
    assertNotContains(response, "Tver branch")


# People


def test_person_page_lists_published_affiliations_only(client, world):
    response = client.get(world.person.get_absolute_url().replace("/ru/", "/en/", 1))
    assertContains(response, "<h1>Lyudmila Alexeyeva</h1>", html=True)
    assertContains(response, "Chair")
    assertContains(response, 'href="/en/people/?region=moscow-oblast"')
    assertContains(response, "Moscow Helsinki Group")
    assertContains(response, "The Nationalities Problem and Human Rights")
    organizations = page(response).find("section", aria_labelledby="orgs-title").find("ul")
    assert len(organizations.items()) == 1


def test_person_page_query_count_is_fixed(client, django_assert_num_queries, world):
    url = world.person.get_absolute_url()
    # The data version, the person, sources, affiliations, publications; then the cache.
    with django_assert_num_queries(5):
        client.get(url)
    with django_assert_num_queries(1):
        client.get(url)
    for _n in range(3):
        AffiliationFactory(person=world.person)
        PublicationFactory(editors=[world.person])
        world.person.sources.add(SourceFactory())
    with django_assert_num_queries(5):
        response = client.get(url)
    organizations = page(response).find("section", aria_labelledby="orgs-title").find("ul")
    assert len(organizations.items()) == 4


def test_selectors_never_return_drafts(world):
    assert world.draft_org.slug not in {o.slug for o in page_selectors.recently_updated(50)}
    counts = page_selectors.region_counts()
    assert counts[world.russia.pk] == 5


def test_landing_pages_query_counts_are_fixed(client, django_assert_num_queries, world):
    region_url = en("directory:region_detail", slug="moscow-oblast")
    activity_url = en("directory:activity_detail", slug="legal-defense")
    # Each landing page reads its latest practices in one more query.
    with django_assert_num_queries(8):
        client.get(region_url)
    with django_assert_num_queries(5):
        client.get(activity_url)
    with django_assert_num_queries(1):
        client.get(region_url)
    with django_assert_num_queries(1):
        client.get(activity_url)
    for _n in range(15):
        child = RegionFactory(parent=world.moscow_oblast)
        OrganizationFactory(region=child, activities=[world.legal])
        PracticeFactory(regions=[child], activities=[world.legal])
    with django_assert_num_queries(8):
        response = client.get(region_url)
    # The page shows the first ten; the count covers them all.
    organizations = page(response).find("section", aria_labelledby="orgs-title").find("ul")
    assert len(organizations.items()) == 10
    assertContains(response, "19 published organizations here, sub-regions included.")
    practices = page(response).find("section", aria_labelledby="practices-title").find("ul")
    assert len(practices.items()) == 5
    with django_assert_num_queries(5):
        response = client.get(activity_url)
    assertContains(response, "19 published organizations do this work.")
